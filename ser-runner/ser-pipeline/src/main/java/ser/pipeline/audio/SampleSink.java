package ser.pipeline.audio;

/**
 * Receives decoded audio block by block: mono float samples in [-1, 1] at the loader's rate.
 * The array is reused after the call returns; copy what must be kept.
 */
@FunctionalInterface
public interface SampleSink {
    void accept(float[] samples, int count);
}
