package ser.cli;

import be.tarsos.dsp.AudioDispatcher;
import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ser.api.AudioClip;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.predict.Predictor;
import ser.pipeline.predict.ClipScorer;
import ser.pipeline.segment.Listener;
import ser.pipeline.segment.RollingPredictor;
import com.google.inject.Injector;
import ser.pipeline.model.ModelBundles;
import ser.pipeline.plugins.PluginRegistry;

/** {@code ser listen}: the rolling emotion of the microphone (or of a file played as if live). */
@Command(name = "listen", mixinStandardHelpOptions = true,
        description = {"Listen to the default microphone and print the rolling emotion: every --hop seconds, the emotion "
                + "and the eight probabilities of the last --window seconds (one line each, with its start and end "
                + "in seconds since the start). Stop with Ctrl-C.",
                "--input FILE plays a file (any format ser predict reads) through the same path instead of the "
                        + "microphone, for machines without one."})
public final class ListenCommand implements Callable<Integer> {

    private static final String WINDOW = "ser.listen.window-s";
    private static final String HOP = "ser.listen.hop-s";

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions bundleOptions;

    @Option(names = "--input", paramLabel = "FILE", description = "play this file instead of the microphone")
    String input;

    @Option(names = "--window", paramLabel = "SECONDS", description = "audio per prediction (default ser.listen.window-s = 2)")
    Double window;

    @Option(names = "--hop", paramLabel = "SECONDS", description = "a prediction every SECONDS (default ser.listen.hop-s = 0.5)")
    Double hop;

    @Option(names = "--format", paramLabel = "table|json|csv", defaultValue = "table",
            description = "table (default), json (one object per line) or csv")
    String format;

    @Override
    public Integer call() {
        PredictionFormat output = PredictionFormat.parse(format);
        // --window and --hop are ser.listen's settings, applied as every command applies its options.
        Injector injector = root.injector(OptionSettings.NONE.with(WINDOW, window).with(HOP, hop));
        PluginRegistry plugins = injector.getInstance(PluginRegistry.class);
        Config config = injector.getInstance(Config.class);
        double w = config.getDouble(WINDOW);
        double h = config.getDouble(HOP);
        if (!(w > 0) || !(h > 0)) {
            throw new IllegalArgumentException("--window and --hop must be > 0 s, got " + w + " and " + h);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ModelBundle bundle = injector.getInstance(ModelBundles.class).open(bundleOptions.model, bundleOptions.backend)) {
            int rate = bundle.schema().grid().sampleRate();
            ClipScorer scorer = ser.pipeline.predict.BundleScorer.forBundle(bundle, plugins, config);
            String source = input != null ? input : "microphone";
            AudioDispatcher dispatcher;
            if (input != null) {
                AudioClip clip = AudioLoader.atRate(rate, config).load(input);
                dispatcher = Listener.of(clip.samples(), rate);
            } else {
                dispatcher = Listener.microphone(rate);
            }
            String header = SegmentLines.header(output);
            if (header != null) {
                out.println(header);
            }
            Listener.connect(dispatcher, new RollingPredictor(w, h, rate, scorer, source, segment -> {
                out.println(SegmentLines.line(output, source, segment));
                out.flush();
            }));
            dispatcher.run();
            return ExitCodes.OK;
        }
    }
}
