package ser.extractors.dsp;

/** Analysis windows. */
public final class Windows {

    private Windows() {
    }

    /**
     * Periodic ("DFT-even") Hann window of length {@code n}: {@code 0.5 - 0.5 cos(2 pi k / n)},
     * identical to {@code scipy.signal.get_window('hann', n, fftbins=True)} as used by librosa.
     */
    public static double[] hannPeriodic(int n) {
        double[] w = new double[n];
        for (int k = 0; k < n; k++) {
            w[k] = 0.5 - 0.5 * Math.cos(2.0 * Math.PI * k / n);
        }
        return w;
    }
}
