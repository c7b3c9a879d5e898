package ser.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import ser.pipeline.predict.Predictor;
import ser.pipeline.predict.SpeakerSource;

/**
 * Runs the predict stage and prints each result as soon as it is known: predictions on stdout
 * in the chosen format, failures one line each on stderr, then a summary line when any failed.
 */
final class PredictionPrinter {

    private PredictionPrinter() {
    }

    /** Returns the exit code: 0 when every input was predicted, 1 when any failed. */
    static int run(Predictor predictor, List<String> inputs, PredictionFormat format, PrintWriter out, PrintWriter err) {
        return run(predictor, inputs, SpeakerSource.unknown(), format, out, err);
    }

    /** As above, with each file's speaker for a bundle that normalizes per speaker or corpus. */
    static int run(Predictor predictor, List<String> inputs, SpeakerSource speakers, PredictionFormat format, PrintWriter out,
            PrintWriter err) {
        String header = format.header();
        if (header != null) {
            out.println(header);
        }
        Predictor.Summary summary = predictor.run(inputs, speakers, new Predictor.Listener() {
            @Override
            public void predicted(ser.pipeline.predict.Prediction prediction) {
                out.println(format.line(prediction));
                out.flush();
            }

            @Override
            public void failed(String input, String message) {
                err.println(message);
                err.flush();
            }

            @Override
            public void warning(String message) {
                err.println(message);
                err.flush();
            }
        });
        out.flush();
        if (summary.failed() > 0) {
            err.printf(Locale.ROOT, "ser predict: %d input(s) failed, %d predicted%n", summary.failed(), summary.predicted());
            err.flush();
            return ExitCodes.RUN_FAILURE;
        }
        return ExitCodes.OK;
    }
}
