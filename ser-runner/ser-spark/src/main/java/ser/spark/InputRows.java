package ser.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import ser.api.Emotion;
import ser.pipeline.BadInputException;
import ser.pipeline.UsageException;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;

/**
 * The utterances a job works on, as rows of {@link #SCHEMA}: from a manifest (CSV as
 * {@code ser prepare} writes it, or Parquet with the same columns), or from files found by Spark's
 * {@code binaryFile} source (paths, folders, Hadoop globs; unlabelled, id = path). They are listed
 * on the driver, numbered ({@code ord}: manifest order, or path order) and cut into contiguous
 * slices, so partitions (and task retries) always see the same rows.
 */
public final class InputRows {

    /** ord, id, path, corpus, speaker, gender, source_label, emotion, emotion_label (null when unlabelled). */
    public static final StructType SCHEMA = new StructType()
            .add("ord", DataTypes.LongType, false)
            .add("id", DataTypes.StringType, false)
            .add("path", DataTypes.StringType, false)
            .add("corpus", DataTypes.StringType, true)
            .add("speaker", DataTypes.StringType, true)
            .add("gender", DataTypes.StringType, true)
            .add("source_label", DataTypes.StringType, true)
            .add("emotion", DataTypes.StringType, true)
            .add("emotion_label", DataTypes.IntegerType, true);

    /** What {@code --files} selects inside folders by default: what the audio loader decodes. */
    public static final String DEFAULT_PATTERN = "*.{wav,wave,WAV,WAVE}";

    private final List<Row> rows;

    private InputRows(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    public List<Row> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    /** The manifest's rows: a {@code .csv} file is read as {@code ser extract} reads it, anything else as Parquet. */
    public static InputRows fromManifest(SparkSession spark, String manifest) {
        if (manifest.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            List<Row> rows = new ArrayList<>();
            for (ManifestRow r : Manifest.read(Path.of(manifest))) {
                rows.add(row(rows.size(), r.id(), r.location(), r.corpus(), r.speaker(), r.gender().orElse(""),
                        r.sourceLabel(), r.emotion()));
            }
            return nonEmpty(rows, manifest);
        }
        Dataset<Row> table = spark.read().parquet(manifest);
        Set<String> columns = Set.of(table.columns());
        for (String c : List.of("id", "path")) {
            if (!columns.contains(c)) {
                throw new BadInputException(manifest, "not a manifest: missing column " + c);
            }
        }
        List<Row> rows = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Row r : table.collectAsList()) {
            String id = text(r, columns, "id");
            if (id == null || !ids.add(id)) {
                throw new BadInputException(manifest, id == null ? "a row has no id" : "duplicate utterance id " + id);
            }
            String emotion = text(r, columns, "emotion");
            Emotion e;
            try {
                e = emotion == null || emotion.isEmpty() ? null : Emotion.ofId(emotion);
            } catch (IllegalArgumentException ex) {
                throw new BadInputException(manifest, "row " + id + ": " + ex.getMessage());
            }
            rows.add(row(rows.size(), id, text(r, columns, "path"), text(r, columns, "corpus"), text(r, columns, "speaker"),
                    text(r, columns, "gender"), text(r, columns, "source_label"), e));
        }
        return nonEmpty(rows, manifest);
    }

    /** Audio files under {@code paths} (files, folders searched recursively, Hadoop globs), sorted by path. */
    public static InputRows fromFiles(SparkSession spark, List<String> paths, String pattern) {
        Dataset<Row> listing = spark.read().format("binaryFile").option("pathGlobFilter", pattern)
                .option("recursiveFileLookup", "true").load(paths.toArray(String[]::new))
                // Only the listing: binaryFile reads no content unless that column is selected.
                .select("path").orderBy("path");
        List<Row> rows = new ArrayList<>();
        for (Row r : listing.collectAsList()) {
            String location = AudioSource.location(r.getString(0));
            rows.add(row(rows.size(), location, location, null, null, null, null, null));
        }
        return nonEmpty(rows, String.join(", ", paths));
    }

    private static InputRows nonEmpty(List<Row> rows, String where) {
        if (rows.isEmpty()) {
            throw new UsageException(where + ": no audio files (matching the input) to process");
        }
        return new InputRows(rows);
    }

    private static String text(Row r, Set<String> columns, String name) {
        if (!columns.contains(name) || r.isNullAt(r.fieldIndex(name))) {
            return null;
        }
        return String.valueOf((Object) r.getAs(name));
    }

    private static Row row(long ord, String id, String path, String corpus, String speaker, String gender,
            String sourceLabel, Emotion emotion) {
        return RowFactory.create(ord, id, path, corpus, speaker, gender, sourceLabel,
                emotion == null ? null : emotion.id(), emotion == null ? null : emotion.label());
    }

    /** The rows as contiguous slices of about {@code rowsPerTask} each. */
    public JavaRDD<Row> slices(SparkSession spark, int rowsPerTask) {
        int slices = Math.max(1, (rows.size() + rowsPerTask - 1) / rowsPerTask);
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, slices);
    }

    /** True when every row has an emotion (the input was a manifest). */
    public boolean labelled() {
        return rows.stream().noneMatch(r -> r.isNullAt(8));
    }
}
