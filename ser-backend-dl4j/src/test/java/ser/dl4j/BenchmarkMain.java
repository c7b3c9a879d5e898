package ser.dl4j;

import com.typesafe.config.ConfigFactory;

import ser.api.ArchitectureSpec;

/**
 * Command-line benchmark (see BENCHMARKS.md): {@code BenchmarkMain [batch frames features
 * threads trainSteps predictions [parallel-directions]]}; default spec of the issue.
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
        ArchitectureSpec spec = Fixtures.defaultSpec(8);
        var settings = ConfigFactory.parseString("parallel-directions = " + parallel);
        System.out.println(Dl4jBenchmark.run(spec, batch, frames, features, threads, 2, steps, predictions, settings)
                + (parallel ? " [parallel directions]" : " [sequential directions]"));
    }
}
