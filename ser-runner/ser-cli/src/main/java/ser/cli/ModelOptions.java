package ser.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --backend}: declared once for every command that scores with a trained bundle. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "model bundle written by ser train")
    Path model;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "load the weights into this backend instead of the one that trained them (weights are "
                    + "backend-neutral; predictions agree within float rounding)")
    String backend;
}
