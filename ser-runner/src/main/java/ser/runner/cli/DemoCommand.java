package ser.runner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import ser.runner.RunFailure;

/** {@code ser demo}: filled in by its issue. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "demo (not yet available)")
public final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Override
    public Integer call() {
        throw new RunFailure("demo is not implemented yet");
    }
}
