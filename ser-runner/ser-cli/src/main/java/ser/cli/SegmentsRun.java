package ser.cli;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ser.pipeline.BadInputException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.predict.Predictor;
import ser.pipeline.segment.AudioSource;
import ser.pipeline.predict.ClipScorer;
import ser.pipeline.segment.SegmentSettings;
import ser.pipeline.segment.Segmenter;

/**
 * {@code ser predict --segments}: every input cut into segments, one line per segment as soon as
 * it is predicted. A file that fails is one line on stderr and the others still run; exit code 0
 * when every file succeeded, 1 when any failed (as {@code ser predict}).
 */
final class SegmentsRun {

    private final Segmenter segmenter;
    private final AudioLoader loader;

    SegmentsRun(ModelBundle bundle, PluginRegistry plugins, Config config, SegmentSettings settings) {
        int rate = bundle.schema().grid().sampleRate();
        this.loader = AudioLoader.atRate(rate, config);
        this.segmenter = new Segmenter(settings, rate, ser.pipeline.predict.BundleScorer.forBundle(bundle, plugins, config));
    }

    int run(List<String> inputs, PredictionFormat format, PrintWriter out, PrintWriter err) {
        List<String> files = new ArrayList<>();
        int failed = 0;
        int done = 0;
        for (String input : inputs) {
            try {
                files.addAll(Predictor.expand(input));
            } catch (BadInputException e) {
                err.println(e.getMessage());
                failed++;
            }
        }
        String header = SegmentLines.header(format);
        if (header != null) {
            out.println(header);
        }
        for (String file : files) {
            try {
                segmenter.run(AudioSource.of(loader, file, segmenter.settings().maxDurationS()), file, segment -> {
                    out.println(SegmentLines.line(format, file, segment));
                    out.flush();
                });
                done++;
            } catch (BadInputException e) {
                err.println(e.getMessage());
                failed++;
            } catch (RuntimeException e) {
                err.println(file + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                failed++;
            }
            out.flush();
            err.flush();
        }
        if (failed > 0) {
            err.printf(Locale.ROOT, "ser predict: %d input(s) failed, %d segmented%n", failed, done);
            err.flush();
            return ExitCodes.RUN_FAILURE;
        }
        return ExitCodes.OK;
    }
}
