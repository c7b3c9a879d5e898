package ser.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;
import ser.pipeline.experiment.ExperimentTable;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.train.CrossValidation;
import ser.pipeline.train.Trainer;
import ser.pipeline.train.TrainerFactory;
import ser.pipeline.util.AtomicFiles;
import ser.pipeline.util.OutputPaths;
import ser.pipeline.wiring.Bootstrap;

/** {@code ser experiment}: cross-validate several configurations on one features folder and tabulate them. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Run `ser train --cv K` once per VARIANT (a HOCON file layered over --config, under --set) on one features "
                + "folder, into OUT/<variant name>/, and write OUT/EXPERIMENTS.md: per variant the backend, input, normalization, "
                + "UAR mean ± std over folds, pooled and per-corpus UAR, the linear baseline's UAR and the wall-clock time, with "
                + "the command that reproduces it.",
                "With --reuse, a variant whose OUT/<variant>/cv.json exists is not trained again (its results are tabulated)."})
public final class ExperimentCommand implements Callable<Integer> {

    static final String TABLE = "EXPERIMENTS.md";

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--features", required = true, paramLabel = "DIR",
            description = "features folder written by ser extract, or a ser spark extract output (Parquet), converted "
                    + "first into OUT" + ParquetFeatures.SUFFIX + " beside OUT")
    Path features;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "one cross-validation folder per variant, and " + TABLE)
    Path out;

    @Option(names = "--cv", paramLabel = "K", defaultValue = "5", description = "folds per variant (default: ${DEFAULT-VALUE})")
    int folds;

    @Option(names = "--reuse", description = "tabulate a variant's existing results instead of training it again")
    boolean reuse;

    @Parameters(arity = "1..*", paramLabel = "VARIANT", description = "variant settings files; the file name without .conf names the row")
    List<Path> variants = new ArrayList<>();

    @Override
    public Integer call() {
        if (folds < 2) {
            throw new UsageException("--cv: needs at least 2 folds, got " + folds);
        }
        OutputPaths.refuseOverlap("--out", out, "--features", features);
        Set<String> names = new LinkedHashSet<>();
        for (Path v : variants) {
            if (!Files.isRegularFile(v)) {
                throw new UsageException(v + ": no such variant file");
            }
            if (!names.add(name(v))) {
                throw new UsageException(v + ": a second variant named " + name(v));
            }
        }
        Path table = out.resolve(TABLE);
        ExperimentTable.checkReplaceable(table);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new RunFailure(out + ": cannot create: " + e.getMessage(), e);
        }
        PrintWriter console = spec.commandLine().getOut();
        FeatureSet featureSet = ParquetFeatures.open(root, features, out, "ser experiment", console);
        List<ExperimentTable.Row> rows = new ArrayList<>();
        for (Path v : variants) {
            String name = name(v);
            Path dir = out.resolve(name);
            if (!(reuse && Files.isRegularFile(dir.resolve(CrossValidation.CV_JSON)))) {
                console.println("== variant " + name + " (" + v + ")");
                List<Path> files = new ArrayList<>(root.configFiles);
                files.add(v);
                Bootstrap bootstrap = new Bootstrap(root.home(), files, root.overrides);
                Trainer trainer = bootstrap.injector().getInstance(TrainerFactory.class).create(null, console);
                CrossValidation.run(trainer, featureSet, folds, dir, console);
            } else {
                console.println("== variant " + name + ": reusing " + dir);
            }
            rows.add(ExperimentTable.read(name, dir));
            write(table, rows);
        }
        console.println("results table: " + table);
        console.flush();
        return ExitCodes.OK;
    }

    private void write(Path table, List<ExperimentTable.Row> rows) {
        String command = "./ser " + String.join(" ", root.spec.commandLine().getParseResult().originalArgs());
        try {
            AtomicFiles.writeString(table, ExperimentTable.markdown(rows, command));
        } catch (IOException e) {
            throw new RunFailure(table + ": cannot write: " + e.getMessage(), e);
        }
    }

    static String name(Path variant) {
        String f = variant.getFileName().toString();
        return f.endsWith(".conf") ? f.substring(0, f.length() - 5) : f;
    }
}
