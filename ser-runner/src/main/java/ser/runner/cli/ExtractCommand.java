package ser.runner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import ser.runner.RunFailure;

/** {@code ser extract}: filled in by its issue. */
@Command(name = "extract", mixinStandardHelpOptions = true, description = "extract (not yet available)")
public final class ExtractCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Override
    public Integer call() {
        throw new RunFailure("extract is not implemented yet");
    }
}
