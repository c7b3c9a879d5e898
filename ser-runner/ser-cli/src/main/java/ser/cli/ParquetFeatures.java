package ser.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;
import ser.pipeline.extract.ExtractRun;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.FeatureStore;
import ser.pipeline.util.AtomicFiles;
import ser.pipeline.util.FolderLayout;
import ser.pipeline.util.OutputPaths;
import ser.pipeline.util.StagedDir;
import ser.spark.SparkOutput;

/**
 * {@code --features} of the training commands ({@code ser train}, {@code train --cv},
 * {@code ser experiment}): a features folder, or the Parquet output of {@code ser spark extract},
 * which is converted first by {@code ser spark export} in a Spark JVM (the pipeline and this JVM
 * stay free of Parquet and Hadoop). The converted folder is written beside the training output as
 * {@code OUT.features-from-parquet} (not inside it: a bundle folder is replaced as a whole and
 * shipped to executors), under a temporary name renamed when complete, with a note of its source;
 * a later run from the same, unchanged Parquet output reuses it, one from another source replaces
 * it. Nothing else there is ever replaced.
 */
final class ParquetFeatures {

    /** Appended to the training output's name to name the converted folder. */
    static final String SUFFIX = ".features-from-parquet";

    /** Inside the converted folder: which Parquet output (and commit) it was converted from. */
    static final String SOURCE = "converted-from.txt";

    /** A features folder plus its source note: the only content a conversion replaces. */
    private static final FolderLayout CONVERTED = layout();

    private ParquetFeatures() {
    }

    /**
     * Opens {@code features} for a command writing {@code out}, converting it first when it is a
     * Spark Parquet output (printing one line saying so).
     *
     * @param command the command, for the output lock ("ser train")
     */
    static FeatureSet open(SerCommand root, Path features, Path out, String command, PrintWriter console) {
        if (!SparkOutput.isParquetOutput(features)) {
            return FeatureStore.open(features);
        }
        Path target = convertedFolder(out);
        OutputPaths.refuseOverlap("--out", target, "--features", features);
        String source = source(features);
        if (FeatureStore.isComplete(target) && source.equals(readSource(target))) {
            FeatureSet set = FeatureStore.open(target);
            console.println("--features " + features + " is a ser spark extract output (Parquet): using its conversion "
                    + target + " (" + set.utterances().size() + " utterances)");
            return set;
        }
        try (StagedDir staged = StagedDir.begin(target, CONVERTED, "a features folder converted from Parquet", command)) {
            StringWriter printed = new StringWriter();
            StringWriter err = new StringWriter();
            int code = SparkJvmRun.run(root, List.of("export", "--in", features.toAbsolutePath().toString(),
                    "--out", staged.dir().toString()), new PrintWriter(printed), new PrintWriter(err));
            if (code != 0) {
                String reason = "--features " + features + ": cannot convert the Parquet output: " + lastLine(err.toString());
                throw code == ExitCodes.USAGE ? new UsageException(reason) : new RunFailure(reason);
            }
            AtomicFiles.writeString(staged.dir().resolve(SOURCE), source);
            staged.commit();
        } catch (IOException e) {
            throw new RunFailure(target + ": cannot convert " + features + ": " + e.getMessage(), e);
        }
        FeatureSet set = FeatureStore.open(target);
        console.println("--features " + features + " is a ser spark extract output (Parquet): converted by ser spark export into "
                + target + " (" + set.utterances().size() + " utterances)");
        return set;
    }

    /** Where the conversion for the training output {@code out} goes. */
    static Path convertedFolder(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        if (abs.getFileName() == null) {
            throw new UsageException("--out " + out + ": a training output cannot be the file-system root");
        }
        return abs.resolveSibling(abs.getFileName() + SUFFIX);
    }

    /** The source's identity: its real path and when Spark committed it (a rewritten output at the same path differs). */
    private static String source(Path features) {
        try {
            return "parquet " + features.toRealPath() + "\ncommitted "
                    + Files.getLastModifiedTime(features.resolve(SparkOutput.SUCCESS)).toMillis() + "\n";
        } catch (IOException e) {
            throw new RunFailure(features + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String readSource(Path target) {
        try {
            return Files.readString(target.resolve(SOURCE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        String last = lines[lines.length - 1];
        String prefix = "ser spark export: ";
        return last.startsWith(prefix) ? last.substring(prefix.length()) : last;
    }

    private static FolderLayout layout() {
        FolderLayout features = ExtractRun.FEATURES;
        Set<String> files = new HashSet<>(features.files());
        files.add(SOURCE);
        return new FolderLayout(features.marker(), Set.copyOf(files), features.folders(), features.pattern(),
                features.patternFolder(), features.anyFile());
    }
}
