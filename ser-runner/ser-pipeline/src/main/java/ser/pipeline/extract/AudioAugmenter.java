package ser.pipeline.extract;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import ser.api.AudioClip;
import ser.pipeline.audio.Resampler;

/**
 * Makes the augmented copies of one clip, as {@code ser.extract.augment} says: first a speed
 * perturbation, then additive noise at a drawn SNR. Each copy is a pure function of the clip,
 * the settings' seed, the utterance id and the copy number (its own {@link SplittableRandom}),
 * so copies do not depend on thread scheduling, on other utterances or on earlier runs.
 *
 * <p>Speed perturbation is {@code sox speed}: the clip is treated as if recorded at
 * {@code rate * speed} and resampled to {@code rate} with the pipeline's {@link Resampler}, which
 * changes tempo and pitch together (a clip of N samples becomes {@code ceil(N / speed)}). The
 * assumed rate is rounded to whole Hz, so the speed applied is {@code round(rate * speed) / rate}
 * (exact for 0.9 and 1.1 at 16 kHz).
 *
 * <p>The SNR is measured against the whole clip's mean power after the speed change (silence
 * included: for acted corpora with leading and trailing silence, the SNR within speech is a
 * few dB higher than the drawn value). A silent clip gets no noise. Samples are not clipped to
 * [-1, 1]: features are computed on floats.
 */
public final class AudioAugmenter {

    /** Samples the pink-noise filter runs before its output is used, so that its slow poles have settled. */
    private static final int PINK_WARM_UP = 8192;

    private final AudioAugmentSettings settings;

    public AudioAugmenter(AudioAugmentSettings settings) {
        this.settings = settings;
    }

    public AudioAugmentSettings settings() {
        return settings;
    }

    /**
     * One augmented copy.
     *
     * @param speed the speed factor applied
     * @param snrDb the SNR the noise was scaled to; NaN when no noise was added
     */
    public record Copy(AudioClip clip, double speed, double snrDb) {
    }

    /** The id of copy {@code copy} (1-based) of utterance {@code id}. */
    public static String copyId(String id, int copy) {
        return id + "~aug" + copy;
    }

    /** Copy number {@code copy} (1-based) of {@code clip}, the utterance {@code id}. */
    public Copy copy(AudioClip clip, String id, int copy) {
        SplittableRandom random = new SplittableRandom(seed(settings.seed(), id, copy));
        int rate = clip.sampleRate();
        double drawnSpeed = settings.speeds().get(random.nextInt(settings.speeds().size()));
        int assumedRate = (int) Math.round(rate * drawnSpeed);
        float[] x = assumedRate == rate ? clip.samples().clone() : Resampler.resample(clip.samples(), assumedRate, rate);
        double speed = (double) assumedRate / rate;
        double snrDb = settings.snrDbMin() + (settings.snrDbMax() - settings.snrDbMin()) * random.nextDouble();
        if (settings.noise() == AudioAugmentSettings.Noise.NONE || power(x) == 0) {
            return new Copy(new AudioClip(x, rate), speed, Double.NaN);
        }
        double[] noise = noise(settings.noise(), x.length, random);
        double scale = Math.sqrt(power(x) / (power(noise) * Math.pow(10, snrDb / 10)));
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (x[i] + scale * noise[i]);
        }
        return new Copy(new AudioClip(y, rate), speed, snrDb);
    }

    /** Mean square of {@code x}. */
    static double power(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += (double) v * v;
        }
        return x.length == 0 ? 0 : sum / x.length;
    }

    private static double power(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v * v;
        }
        return x.length == 0 ? 0 : sum / x.length;
    }

    private static double[] noise(AudioAugmentSettings.Noise kind, int n, SplittableRandom random) {
        double[] out = new double[n];
        if (kind == AudioAugmentSettings.Noise.WHITE) {
            for (int i = 0; i < n; i++) {
                out[i] = random.nextGaussian();
            }
            return out;
        }
        // Paul Kellet's refined pink-noise filter (white noise through six first-order sections,
        // within 0.05 dB of -3 dB/octave above about 10 Hz of a 44.1 kHz signal; the same slope
        // holds at 16 kHz, shifted down in frequency by the rate ratio).
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
        for (int i = -PINK_WARM_UP; i < n; i++) {
            double w = random.nextGaussian();
            b0 = 0.99886 * b0 + w * 0.0555179;
            b1 = 0.99332 * b1 + w * 0.0750759;
            b2 = 0.96900 * b2 + w * 0.1538520;
            b3 = 0.86650 * b3 + w * 0.3104856;
            b4 = 0.55000 * b4 + w * 0.5329522;
            b5 = -0.7616 * b5 - w * 0.0168980;
            double pink = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
            b6 = w * 0.115926;
            if (i >= 0) {
                out[i] = pink;
            }
        }
        return out;
    }

    /** A seed from (seed, id, copy) that is the same on every JVM (String.hashCode is too short: 32 bits). */
    static long seed(long seed, String id, int copy) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h ^ (copy * 0x9e3779b97f4a7c15L);
    }
}
