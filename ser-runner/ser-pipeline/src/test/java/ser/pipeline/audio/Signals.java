package ser.pipeline.audio;

/** Measurements on test signals. */
public final class Signals {

    private Signals() {
    }

    public static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return Math.sqrt(s / (to - from));
    }

    public static double rms(float[] x) {
        return rms(x, 0, x.length);
    }

    public static double peak(float[] x) {
        double p = 0;
        for (float v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    /** Sign changes between {@code from} and {@code to}. */
    public static int zeroCrossings(float[] x, int from, int to) {
        int n = 0;
        for (int i = from + 1; i < to; i++) {
            if ((x[i - 1] < 0) != (x[i] < 0)) {
                n++;
            }
        }
        return n;
    }

    /** Frequency (Hz) of the largest DFT bin of {@code x[from..from+n)}, Hann-windowed, by brute force. */
    public static double peakFrequency(float[] x, int from, int n, int rate, double step) {
        double best = 0;
        double bestF = 0;
        for (double f = step; f < rate / 2.0; f += step) {
            double re = 0;
            double im = 0;
            double w = 2 * Math.PI * f / rate;
            for (int i = 0; i < n; i++) {
                double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
                re += hann * x[from + i] * Math.cos(w * i);
                im -= hann * x[from + i] * Math.sin(w * i);
            }
            double p = re * re + im * im;
            if (p > best) {
                best = p;
                bestF = f;
            }
        }
        return bestF;
    }

    public static float[] tone(double hz, int rate, double seconds, double amplitude) {
        float[] x = new float[(int) Math.round(rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }
}
