import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * "Listen by numbers" for the synthetic demo corpus: per-file duration, loudness, pitch level,
 * pitch range and brightness, summarised per emotion and per actor, plus a tiny
 * leave-one-actor-out nearest-centroid baseline on those utterance-level numbers.
 *
 * <p>Self-contained (JDK only), run without a build:
 * <pre>java ser-runner/demo/CorpusStats.java ser-runner/demo/corpus</pre>
 *
 * <p>Reads 16-bit PCM mono RIFF/WAVE files named in the RAVDESS convention
 * {@code 03-01-EE-II-SS-RR-AA.wav}. It is a sanity check of the corpus, not part of the framework.
 */
public final class CorpusStats {

    private static final String[] EMOTIONS = {
        "neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"
    };
    private static final String[] FEATURES = {"dur_s", "rms_dB", "f0_Hz", "f0_rng_st", "centroid_Hz"};

    record Clip(String name, int emotion, int actor, double[] f) { }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "ser-runner/demo/corpus");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".wav")).sorted().collect(Collectors.toList());
        }
        List<Clip> clips = new ArrayList<>();
        for (Path p : files) {
            String n = p.getFileName().toString();
            String[] parts = n.substring(0, n.length() - 4).split("-");
            if (parts.length != 7) {
                System.err.println("skipping (not RAVDESS-named): " + n);
                continue;
            }
            clips.add(new Clip(n, Integer.parseInt(parts[2]) - 1, Integer.parseInt(parts[6]), analyse(p)));
        }
        System.out.printf(Locale.ROOT, "%d files under %s%n%n", clips.size(), root);
        if (clips.isEmpty()) {
            return;
        }

        System.out.println("Per emotion (mean +- sd over files)");
        header("emotion");
        for (int e = 0; e < EMOTIONS.length; e++) {
            final int fe = e;
            row(EMOTIONS[e], clips.stream().filter(c -> c.emotion == fe).collect(Collectors.toList()));
        }
        System.out.println();
        System.out.println("Per actor (odd = male voice, even = female voice)");
        header("actor");
        Map<Integer, List<Clip>> byActor = new TreeMap<>(
                clips.stream().collect(Collectors.groupingBy(Clip::actor)));
        byActor.forEach((a, cs) -> row(String.format(Locale.ROOT, "Actor_%02d", a), cs));
        System.out.println();
        int[] actors = byActor.keySet().stream().mapToInt(Integer::intValue).toArray();
        looNearestCentroid(clips, actors, true);
        System.out.println();
        looNearestCentroid(clips, actors, false);
    }

    private static void header(String first) {
        System.out.printf(Locale.ROOT, "%-10s %4s", first, "n");
        for (String f : FEATURES) {
            System.out.printf(Locale.ROOT, " %18s", f);
        }
        System.out.println();
    }

    private static void row(String label, List<Clip> cs) {
        System.out.printf(Locale.ROOT, "%-10s %4d", label, cs.size());
        for (int k = 0; k < FEATURES.length; k++) {
            final int fk = k;
            double[] v = cs.stream().mapToDouble(c -> c.f[fk]).toArray();
            double m = Arrays.stream(v).average().orElse(Double.NaN);
            double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / Math.max(1, v.length - 1));
            System.out.printf(Locale.ROOT, " %10.2f +- %5.2f", m, sd);
        }
        System.out.println();
    }

    /**
     * Leave-one-actor-out nearest centroid on z-scored utterance features: a crude lower bound on
     * how separable the classes are for a speaker-independent classifier. With {@code perActor}
     * each actor's features are z-scored over that actor's own files (speaker normalisation, the
     * usual trick in SER); without it, over the training actors' files only.
     */
    private static void looNearestCentroid(List<Clip> clips, int[] actors, boolean perActor) {
        int nf = FEATURES.length;
        int[][] confusion = new int[EMOTIONS.length][EMOTIONS.length];
        int correct = 0;
        for (int held : actors) {
            Map<Integer, double[][]> norm = new TreeMap<>();
            if (perActor) {
                for (int a : actors) {
                    norm.put(a, meanSd(clips.stream().filter(c -> c.actor == a).collect(Collectors.toList())));
                }
            } else {
                double[][] ms = meanSd(clips.stream().filter(c -> c.actor != held).collect(Collectors.toList()));
                for (int a : actors) {
                    norm.put(a, ms);
                }
            }
            double[][] centroid = new double[EMOTIONS.length][nf];
            int[] count = new int[EMOTIONS.length];
            for (Clip c : clips) {
                if (c.actor == held) {
                    continue;
                }
                double[] z = z(c, norm.get(c.actor));
                for (int k = 0; k < nf; k++) {
                    centroid[c.emotion][k] += z[k];
                }
                count[c.emotion]++;
            }
            for (int e = 0; e < EMOTIONS.length; e++) {
                for (int k = 0; k < nf; k++) {
                    centroid[e][k] /= Math.max(1, count[e]);
                }
            }
            for (Clip c : clips) {
                if (c.actor != held) {
                    continue;
                }
                double[] z = z(c, norm.get(held));
                int best = 0;
                double bestD = Double.MAX_VALUE;
                for (int e = 0; e < EMOTIONS.length; e++) {
                    if (count[e] == 0) {
                        continue;
                    }
                    double d = 0;
                    for (int k = 0; k < nf; k++) {
                        d += (z[k] - centroid[e][k]) * (z[k] - centroid[e][k]);
                    }
                    if (d < bestD) {
                        bestD = d;
                        best = e;
                    }
                }
                confusion[c.emotion][best]++;
                if (best == c.emotion) {
                    correct++;
                }
            }
        }
        System.out.printf(Locale.ROOT,
                "Leave-one-actor-out nearest centroid on the %d numbers above (%s):%n"
                        + "accuracy %.1f%% (%d/%d; chance %.1f%%)%n",
                nf, perActor ? "z-scored per actor" : "z-scored over the training actors, no speaker normalisation",
                100.0 * correct / clips.size(), correct, clips.size(), 100.0 / EMOTIONS.length);
        System.out.printf(Locale.ROOT, "%-10s", "true\\pred");
        for (String e : EMOTIONS) {
            System.out.printf(Locale.ROOT, " %4.4s", e);
        }
        System.out.println();
        for (int e = 0; e < EMOTIONS.length; e++) {
            System.out.printf(Locale.ROOT, "%-10s", EMOTIONS[e]);
            for (int p = 0; p < EMOTIONS.length; p++) {
                System.out.printf(Locale.ROOT, " %4d", confusion[e][p]);
            }
            System.out.println();
        }
    }

    private static double[][] meanSd(List<Clip> cs) {
        int nf = FEATURES.length;
        double[] mean = new double[nf];
        double[] sd = new double[nf];
        for (int k = 0; k < nf; k++) {
            final int fk = k;
            mean[k] = cs.stream().mapToDouble(c -> c.f[fk]).average().orElse(0);
            sd[k] = Math.sqrt(cs.stream().mapToDouble(c -> Math.pow(c.f[fk] - mean[fk], 2)).sum()
                    / Math.max(1, cs.size() - 1));
            if (sd[k] == 0) {
                sd[k] = 1;
            }
        }
        return new double[][] {mean, sd};
    }

    private static double[] z(Clip c, double[][] ms) {
        double[] z = new double[c.f.length];
        for (int k = 0; k < z.length; k++) {
            z[k] = (c.f[k] - ms[0][k]) / ms[1][k];
        }
        return z;
    }

    // ------------------------------------------------------------------ analysis

    /** Returns {duration s, RMS dBFS, median f0 Hz, f0 range p90/p10 in semitones, spectral centroid Hz}. */
    static double[] analyse(Path p) throws IOException {
        int[] rate = new int[1];
        double[] x = readWav(p, rate);
        int sr = rate[0];
        double dur = x.length / (double) sr;
        double sq = 0;
        for (double v : x) {
            sq += v * v;
        }
        double rmsDb = 10 * Math.log10(sq / Math.max(1, x.length) + 1e-12);

        int frame = (int) (0.040 * sr);
        int hop = (int) (0.010 * sr);
        int minLag = sr / 450;
        int maxLag = sr / 60;
        List<Double> f0s = new ArrayList<>();
        double frameEnergyMax = 0;
        List<double[]> frames = new ArrayList<>();
        for (int start = 0; start + frame + maxLag < x.length; start += hop) {
            double en = 0;
            for (int i = 0; i < frame; i++) {
                en += x[start + i] * x[start + i];
            }
            frames.add(new double[] {start, en});
            frameEnergyMax = Math.max(frameEnergyMax, en);
        }
        for (double[] fr : frames) {
            int start = (int) fr[0];
            if (fr[1] < frameEnergyMax * 0.01) { // more than 20 dB below the loudest frame
                continue;
            }
            double[] r = new double[maxLag + 1];
            double best = 0;
            for (int lag = minLag; lag <= maxLag; lag++) {
                double num = 0;
                double e1 = 0;
                double e2 = 0;
                for (int i = 0; i < frame; i++) {
                    double a = x[start + i];
                    double b = x[start + i + lag];
                    num += a * b;
                    e1 += a * a;
                    e2 += b * b;
                }
                r[lag] = num / Math.sqrt(e1 * e2 + 1e-12);
                best = Math.max(best, r[lag]);
            }
            if (best < 0.6) {
                continue; // unvoiced
            }
            // the shortest lag that is a local peak close to the best one (avoids octave-down errors)
            for (int lag = minLag + 1; lag < maxLag; lag++) {
                if (r[lag] >= 0.9 * best && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
                    f0s.add(sr / (double) lag);
                    break;
                }
            }
        }
        double f0 = Double.NaN;
        double range = Double.NaN;
        if (!f0s.isEmpty()) {
            double[] s = f0s.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            f0 = s[s.length / 2];
            double p10 = s[(int) (0.10 * (s.length - 1))];
            double p90 = s[(int) (0.90 * (s.length - 1))];
            range = 12 * Math.log(p90 / p10) / Math.log(2);
        }
        return new double[] {dur, rmsDb, f0, range, centroid(x, sr)};
    }

    /** Spectral centroid of the whole clip, from a plain DFT over 512-sample frames (power-weighted). */
    private static double centroid(double[] x, int sr) {
        int n = 512;
        double num = 0;
        double den = 0;
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int i = 0; i < n; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / n);
            sin[i] = Math.sin(2 * Math.PI * i / n);
        }
        for (int start = 0; start + n <= x.length; start += n) {
            for (int k = 1; k < n / 2; k++) {
                double re = 0;
                double im = 0;
                for (int i = 0; i < n; i++) {
                    int idx = (k * i) % n;
                    re += x[start + i] * cos[idx];
                    im -= x[start + i] * sin[idx];
                }
                double pw = re * re + im * im;
                num += pw * k * sr / (double) n;
                den += pw;
            }
        }
        return den == 0 ? 0 : num / den;
    }

    private static double[] readWav(Path p, int[] rateOut) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(p + ": not RIFF/WAVE");
        }
        int pos = 12;
        int channels = 0;
        int bits = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (id == 0x20746d66) { // "fmt "
                channels = b.getShort(pos + 10);
                rateOut[0] = b.getInt(pos + 12);
                bits = b.getShort(pos + 22);
            } else if (id == 0x61746164) { // "data"
                if (channels != 1 || bits != 16) {
                    throw new IOException(p + ": expected 16-bit mono, got " + bits + "-bit x" + channels);
                }
                int n = Math.min(size, b.limit() - pos - 8) / 2;
                double[] x = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = b.getShort(pos + 8 + 2 * i) / 32768.0;
                }
                return x;
            }
            pos += 8 + size + (size & 1);
        }
        throw new IOException(p + ": no data chunk");
    }
}
