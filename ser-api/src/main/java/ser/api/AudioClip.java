package ser.api;

/**
 * Decoded mono audio in [-1, 1] at one sample rate. The array is owned by the clip: callers
 * must not modify it after construction.
 */
public record AudioClip(float[] samples, int sampleRate) {

    public AudioClip {
        if (samples == null) {
            throw new IllegalArgumentException("samples must not be null");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
    }

    public int length() {
        return samples.length;
    }

    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }
}
