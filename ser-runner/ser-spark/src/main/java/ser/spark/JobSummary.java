package ser.spark;

import static org.apache.spark.sql.functions.col;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a job wrote, counted from its committed output: rows, error rows (with the first few
 * reasons, {@code path: reason} as {@code ser extract} prints them) and the wall-clock time.
 */
public record JobSummary(String output, long rows, long errors, List<String> firstErrors, double seconds) {

    /** How many error reasons are printed; all of them are in the output's {@code error} column. */
    public static final int SHOWN_ERRORS = 20;

    static JobSummary of(Dataset<Row> written, String output, double seconds) {
        long rows = written.count();
        Dataset<Row> failed = written.where(col(FeatureRows.ERROR).isNotNull());
        long errors = failed.count();
        List<String> first = failed.orderBy("ord").select("path", FeatureRows.ERROR).limit(SHOWN_ERRORS).collectAsList()
                .stream().map(r -> r.getString(0) + ": " + r.getString(1)).toList();
        return new JobSummary(output, rows, errors, first, seconds);
    }

    public void print(String what, PrintWriter out, PrintWriter err) {
        for (String e : firstErrors) {
            err.println(e);
        }
        if (errors > firstErrors.size()) {
            err.println("... and " + (errors - firstErrors.size()) + " more (see the error column)");
        }
        out.printf(Locale.ROOT, "%s %d of %d utterances to %s in %.1f s%s%n", what, rows - errors, rows, output, seconds,
                errors > 0 ? " (" + errors + " error rows)" : "");
        out.flush();
        err.flush();
    }
}
