package ser.dl4j;

import com.typesafe.config.ConfigFactory;

import ser.api.ArchitectureSpec;

/**
 * Command-line benchmark (see BENCHMARKS.md): {@code BenchmarkMain [batch frames features
 * threads trainSteps predictions [parallel-directions [spec]]]}; spec {@code default} (the
 * issue's) or {@code gru1} (one unidirectional GRU of 128 units, pooling, softmax: the shape of
 * the DJL measurement in shared/DESIGN.md).
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int features = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        int predictions = args.length > 5 ? Integer.parseInt(args[5]) : 20;
        boolean parallel = args.length <= 6 || Boolean.parseBoolean(args[6]);
        String which = args.length > 7 ? args[7] : "default";
        ArchitectureSpec spec = switch (which) {
            case "default" -> Fixtures.defaultSpec(8);
            case "gru1" -> new ArchitectureSpec(128, 1, false, false, java.util.List.of(), java.util.List.of(0.0), 0, 0, 128,
                    java.util.List.of(), 0.0, false, 0.0, 8);
            default -> throw new IllegalArgumentException("spec must be default or gru1, got " + which);
        };
        var settings = ConfigFactory.parseString("parallel-directions = " + parallel);
        System.out.println(Dl4jBenchmark.run(spec, batch, frames, features, threads, 2, steps, predictions, settings)
                + (parallel ? " [parallel directions]" : " [sequential directions]") + " [" + which + " spec]");
    }
}
