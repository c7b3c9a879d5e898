package ser.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import ser.api.Emotion;
import ser.pipeline.UsageException;
import ser.pipeline.extract.Extraction;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.store.FeatureSchema;

/**
 * The Parquet rows {@code ser spark extract} writes (the format is documented in the module
 * README): the input columns, then {@code duration_s}, {@code frames}, {@code error} (null when
 * the utterance was extracted), one float column per nppdp.csv feature in schema order, and
 * {@code sequence}: the frames {@code [frames][D]} as float32 little-endian bytes, row-major (the
 * layout of {@code sequences.f32}). An error row keeps the input columns and the reason; its
 * feature columns are null.
 */
public final class FeatureRows {

    public static final String ERROR = "error";
    public static final String SEQUENCE = "sequence";

    private static final int INPUT_COLUMNS = InputRows.SCHEMA.size();

    private FeatureRows() {
    }

    public static StructType schema(FeatureSchema features) {
        StructType s = InputRows.SCHEMA.add("duration_s", DataTypes.DoubleType, true)
                .add("frames", DataTypes.IntegerType, true)
                .add(ERROR, DataTypes.StringType, true);
        Set<String> taken = new HashSet<>(List.of(s.fieldNames()));
        taken.add(SEQUENCE);
        for (String c : features.utteranceColumns()) {
            if (!taken.add(c)) {
                throw new UsageException("feature column '" + c + "' has the name of a column of the Parquet output");
            }
            s = s.add(c, DataTypes.FloatType, true);
        }
        return s.add(SEQUENCE, DataTypes.BinaryType, true);
    }

    /** The output row of an extracted utterance. */
    public static Row extracted(Row input, double durationSeconds, Extraction x) {
        float[] u = x.utteranceVector();
        Object[] values = inputValues(input, 3 + u.length + 1);
        int i = INPUT_COLUMNS;
        values[i++] = durationSeconds;
        values[i++] = x.frames().length;
        values[i++] = null;
        for (float v : u) {
            values[i++] = v;
        }
        values[i] = sequenceBytes(x.frames());
        return RowFactory.create(values);
    }

    /** The output row of an utterance that could not be used. */
    public static Row failed(Row input, int featureColumns, String reason) {
        Object[] values = inputValues(input, 3 + featureColumns + 1);
        values[INPUT_COLUMNS + 2] = reason;
        return RowFactory.create(values);
    }

    private static Object[] inputValues(Row input, int extra) {
        Object[] values = new Object[INPUT_COLUMNS + extra];
        for (int i = 0; i < INPUT_COLUMNS; i++) {
            values[i] = input.get(i);
        }
        return values;
    }

    static byte[] sequenceBytes(float[][] frames) {
        int d = frames.length == 0 ? 0 : frames[0].length;
        ByteBuffer b = ByteBuffer.allocate(4 * frames.length * d).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : frames) {
            for (float v : row) {
                b.putFloat(v);
            }
        }
        return b.array();
    }

    /** A successful row read back: its manifest fields and its features, for a features folder. */
    public static ManifestRow manifestRow(Row r) {
        String gender = r.getAs("gender");
        return new ManifestRow(r.getAs("id"), r.getAs("path"), r.getAs("corpus"), r.getAs("speaker"),
                gender == null || gender.isEmpty() ? Optional.empty() : Optional.of(gender), r.getAs("source_label"),
                Emotion.ofLabel(r.<Integer>getAs("emotion_label")), r.<Double>getAs("duration_s"), 0);
    }

    /** The features of a successful row read back. */
    public static Extraction extraction(Row r, FeatureSchema features) {
        float[] u = utteranceVector(r, features);
        int t = r.<Integer>getAs("frames");
        int d = features.frameColumns().size();
        java.nio.FloatBuffer b = ByteBuffer.wrap(r.<byte[]>getAs(SEQUENCE)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[][] frames = new float[t][d];
        for (float[] row : frames) {
            b.get(row);
        }
        return new Extraction(frames, u);
    }

    /** The utterance vector of a successful row read back. */
    public static float[] utteranceVector(Row r, FeatureSchema features) {
        List<String> columns = features.utteranceColumns();
        float[] u = new float[columns.size()];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.<Float>getAs(columns.get(i));
        }
        return u;
    }
}
