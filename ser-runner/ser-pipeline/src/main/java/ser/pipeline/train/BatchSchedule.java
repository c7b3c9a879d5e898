package ser.pipeline.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which training sequences form each batch of an epoch. Plain: a seeded shuffle cut into
 * batches. Length buckets: a seeded shuffle, stably sorted by length (so equal lengths stay in
 * random order), cut into batches, and the batches shuffled: each batch holds sequences of
 * similar length, so the backend pads little, while batch composition and order still change
 * from epoch to epoch.
 */
final class BatchSchedule {

    private final int[] lengths;
    private final int batchSize;
    private final boolean lengthBuckets;

    /** @param lengths frames of each training sequence */
    BatchSchedule(int[] lengths, int batchSize, boolean lengthBuckets) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.lengths = lengths.clone();
        this.batchSize = batchSize;
        this.lengthBuckets = lengthBuckets;
    }

    /** The next epoch's batches (indices into the training set), drawing from {@code random}. */
    List<int[]> epoch(SplittableRandom random) {
        int n = lengths.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        if (lengthBuckets) {
            order = Arrays.stream(order).boxed().sorted(Comparator.comparingInt(i -> lengths[i])).mapToInt(Integer::intValue)
                    .toArray();
        }
        List<int[]> batches = new ArrayList<>((n + batchSize - 1) / batchSize);
        for (int from = 0; from < n; from += batchSize) {
            batches.add(Arrays.copyOfRange(order, from, Math.min(n, from + batchSize)));
        }
        if (lengthBuckets) {
            for (int i = batches.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int[] tmp = batches.get(i);
                batches.set(i, batches.get(j));
                batches.set(j, tmp);
            }
        }
        return batches;
    }

    /** Padded frames per batch summed over an epoch's batches: what bucketing saves. */
    long paddedFrames(List<int[]> batches) {
        long padded = 0;
        for (int[] batch : batches) {
            int longest = 0;
            for (int i : batch) {
                longest = Math.max(longest, lengths[i]);
            }
            for (int i : batch) {
                padded += longest - lengths[i];
            }
        }
        return padded;
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }
}
