package ser.api;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decoded mono audio in [-1, 1] at one sample rate. The array is owned by the clip: callers
 * must not modify it after construction.
 *
 * <p>A clip also carries a memo of derived analyses ({@link #analysis}), so that extractors which
 * need the same intermediate result (e.g. one power spectrogram on the shared grid) compute it
 * once per clip instead of once each, while the extractors themselves stay independent,
 * self-contained instances. A class rather than a record for that memo only: equality is still
 * that of the two values (the same sample array, by identity, and the same rate).
 */
public final class AudioClip {

    private final float[] samples;
    private final int sampleRate;
    private Map<Object, Object> analyses; // created on first use; guarded by this

    public AudioClip(float[] samples, int sampleRate) {
        if (samples == null) {
            throw new IllegalArgumentException("samples must not be null");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        this.samples = samples;
        this.sampleRate = sampleRate;
    }

    public float[] samples() {
        return samples;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int length() {
        return samples.length;
    }

    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }

    /**
     * The analysis of this clip named by {@code key}, computed by {@code compute} on first request
     * and returned as is afterwards (the clip keeps it as long as it lives). The key must say
     * everything the result depends on besides the samples (a record of the analysis' class and
     * parameters, with value equality), so that two extractors asking with equal keys may share
     * the result; the result is shared, so nobody may modify it. {@code compute} may itself ask
     * for other analyses of the clip.
     */
    public <T> T analysis(Object key, Function<? super AudioClip, ? extends T> compute) {
        Objects.requireNonNull(key, "key");
        synchronized (this) {
            if (analyses != null && analyses.containsKey(key)) {
                @SuppressWarnings("unchecked")
                T known = (T) analyses.get(key);
                return known;
            }
        }
        T value = compute.apply(this);
        synchronized (this) {
            if (analyses == null) {
                analyses = new HashMap<>(4);
            }
            @SuppressWarnings("unchecked")
            T first = (T) analyses.putIfAbsent(key, value);
            return first != null ? first : value;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioClip c && c.samples == samples && c.sampleRate == sampleRate;
    }

    @Override
    public int hashCode() {
        return 31 * System.identityHashCode(samples) + sampleRate;
    }

    @Override
    public String toString() {
        return "AudioClip[samples=" + samples.length + ", sampleRate=" + sampleRate + "]";
    }
}
