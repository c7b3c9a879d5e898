package ser.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ser.pipeline.UsageException;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.train.CrossValidation;
import ser.pipeline.train.TrainJob;
import ser.pipeline.train.TrainerFactory;
import ser.pipeline.train.TrainSettings;
import ser.pipeline.train.Trainer;
import ser.pipeline.util.OutputPaths;

/** {@code ser train}: train a model on a features folder and write its bundle and reports. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a classifier on an extracted features folder and write a model bundle (weights, bundle.json, "
                + "split.csv, reports/) to MODEL_DIR.",
                "Utterances are split by speaker (ser.train.split): no speaker is in two of train/validation/test; "
                        + "validation speakers come from the training side and drive early stopping "
                        + "(ser.train.validation-fraction = 0: no validation part, every non-test speaker trains, every "
                        + "epoch runs and the last is kept); the test part only measures the final model.",
                "MODEL_DIR is written to a hidden sibling folder first and renamed when complete; an earlier bundle "
                        + "there is replaced, a folder holding anything else is refused (so is one containing DIR)."})
public final class TrainCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--features", required = true, paramLabel = "DIR",
            description = "features folder written by ser extract, or a ser spark extract output (Parquet), converted "
                    + "first into MODEL_DIR" + ParquetFeatures.SUFFIX + " beside MODEL_DIR")
    Path features;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR",
            description = "model bundle folder to write (with --cv: the cross-validation reports folder)")
    Path out;

    @Option(names = "--backend", paramLabel = "NAME", description = "backend (djl, dl4j, ...); default ser.train.backend")
    String backend;

    @Option(names = "--cv", paramLabel = "K",
            description = "K-fold cross-validation, folds grouped by speaker (ser.train.split): mean ± std over folds in cv.json; keeps no weights")
    Integer folds;

    @Override
    public Integer call() {
        if (folds != null && folds < 2) {
            throw new UsageException("--cv: needs at least 2 folds, got " + folds);
        }
        OutputPaths.refuseOverlap("--out", out, "--features", features);
        PrintWriter console = spec.commandLine().getOut();
        Trainer trainer = root.injector(OptionSettings.NONE.with(TrainSettings.TRAIN + ".backend", backend))
                .getInstance(TrainerFactory.class).create(null, console);
        FeatureSet featureSet = ParquetFeatures.open(root, features, out, "ser train", console);
        if (folds != null) {
            CrossValidation.run(trainer, featureSet, folds, out, console);
        } else {
            TrainJob.run(trainer, featureSet, out, console);
        }
        return ExitCodes.OK;
    }
}
