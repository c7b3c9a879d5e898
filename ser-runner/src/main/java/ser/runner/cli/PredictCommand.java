package ser.runner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import ser.runner.RunFailure;

/** {@code ser predict}: filled in by its issue. */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "predict (not yet available)")
public final class PredictCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Override
    public Integer call() {
        throw new RunFailure("predict is not implemented yet");
    }
}
