package ser.pipeline.audio;

import java.util.Arrays;
import ser.pipeline.BadInputException;

/**
 * The growing output of a decode: sized once from the header when the length is known, so the
 * final array is the only full-length copy, and grown only for streams of unknown length.
 * Optionally clamps every sample to [-1, 1].
 */
public final class SampleBuffer {

    /** Largest Java array that every JVM allocates. */
    public static final int MAX_LENGTH = Integer.MAX_VALUE - 8;

    private final String location;
    private final boolean clamp;
    private float[] data;
    private int size;

    /**
     * @param expected the final length if known (the array is allocated once), or -1
     * @param location named in the error when the signal exceeds {@link #MAX_LENGTH}
     */
    public SampleBuffer(long expected, String location, boolean clamp) {
        this.location = location;
        this.clamp = clamp;
        if (expected > MAX_LENGTH) {
            throw tooLong(expected);
        }
        this.data = new float[expected >= 0 ? (int) expected : 1 << 16];
    }

    /**
     * A buffer for a length that is claimed but not verified: starts small and grows, and fails
     * only when the samples really exceed {@link #MAX_LENGTH}.
     */
    public static SampleBuffer growing(long claimed, String location, boolean clamp) {
        return new SampleBuffer(claimed < 0 ? -1 : Math.min(claimed, 1 << 16), location, clamp);
    }

    public void add(float v) {
        if (size == data.length) {
            grow();
        }
        data[size++] = clamp ? (v > 1f ? 1f : v < -1f ? -1f : v) : v;
    }

    public void addAll(float[] v, int count) {
        for (int i = 0; i < count; i++) {
            add(v[i]);
        }
    }

    public int size() {
        return size;
    }

    /** Empties the buffer, keeping its array (a reused block buffer). */
    public SampleBuffer clear() {
        size = 0;
        return this;
    }

    /** The backing array, valid up to {@link #size()}; no copy. */
    public float[] array() {
        return data;
    }

    /** The samples; no copy when the expected length was right. */
    public float[] toArray() {
        return size == data.length ? data : Arrays.copyOf(data, size);
    }

    private void grow() {
        if (data.length >= MAX_LENGTH) {
            throw tooLong((long) data.length + 1);
        }
        data = Arrays.copyOf(data, (int) Math.min(MAX_LENGTH, Math.max(16L, data.length * 2L)));
    }

    private BadInputException tooLong(long n) {
        return new BadInputException(location, "too long: " + n + " samples exceed the limit of " + MAX_LENGTH
                + " samples per clip");
    }
}
