package ser.runner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import ser.runner.RunFailure;

/** {@code ser evaluate}: filled in by its issue. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "evaluate (not yet available)")
public final class EvaluateCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Override
    public Integer call() {
        throw new RunFailure("evaluate is not implemented yet");
    }
}
