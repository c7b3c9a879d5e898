package ser.runner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import ser.runner.RunFailure;

/** {@code ser train}: filled in by its issue. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "train (not yet available)")
public final class TrainCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Override
    public Integer call() {
        throw new RunFailure("train is not implemented yet");
    }
}
