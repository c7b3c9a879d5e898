package ser.djl;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Scoped libtorch autograd switch for the calling thread, restored on close.
 *
 * <p>libtorch's grad mode is thread-local (on by default on new threads). DJL's
 * {@code PtGradientCollector} guards itself with a JVM-wide flag (only one collector at a time in
 * the whole process), which would stop two models from training on two threads; this class uses
 * the same JNI calls without that global.
 */
final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode(boolean enabled) {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
    }

    /** Records the graph (training forward pass). */
    static GradMode enabled() {
        return new GradMode(true);
    }

    /** No graph: inference, optimizer updates, copies into parameters. */
    static GradMode disabled() {
        return new GradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
