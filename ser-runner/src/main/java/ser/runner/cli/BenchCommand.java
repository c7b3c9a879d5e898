package ser.runner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import ser.runner.RunFailure;

/** {@code ser bench}: filled in by its issue. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "bench (not yet available)")
public final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Override
    public Integer call() {
        throw new RunFailure("bench is not implemented yet");
    }
}
