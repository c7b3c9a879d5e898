package ser.pipeline.extract;

import java.io.OutputStream;
import java.nio.file.Path;

/** Test hook: wraps the stream that writes {@code file} (to simulate a full disk, say). */
@FunctionalInterface
public interface OutputFilter {

    OutputFilter NONE = (file, out) -> out;

    OutputStream wrap(Path file, OutputStream out);
}
