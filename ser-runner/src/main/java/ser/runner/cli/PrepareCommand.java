package ser.runner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import ser.runner.RunFailure;

/** {@code ser prepare}: filled in by its issue. */
@Command(name = "prepare", mixinStandardHelpOptions = true, description = "prepare (not yet available)")
public final class PrepareCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Override
    public Integer call() {
        throw new RunFailure("prepare is not implemented yet");
    }
}
