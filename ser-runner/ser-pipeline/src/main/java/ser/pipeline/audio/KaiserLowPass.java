package ser.pipeline.audio;

/**
 * A Kaiser-windowed sinc low-pass designed by Kaiser's formulas from a pass-band edge, a
 * stop-band edge (Hz) and a stop-band attenuation: cut-off mid-way between the edges, half-length
 * {@code (A - 7.95) / (14.36 (stop - pass)) / 2} seconds, {@code beta = 0.1102 (A - 8.7)}.
 * Pass-band ripple and stop-band level are both about {@code 10^(-A/20)}.
 *
 * @param cutoffHz    the ideal low-pass cut-off
 * @param halfSeconds half-length of the window (the kernel is 0 beyond it)
 * @param beta        Kaiser window shape
 */
record KaiserLowPass(double cutoffHz, double halfSeconds, double beta) {

    /**
     * @param roundToSamplesOf the half-length is rounded up to whole samples of this rate (keeps the
     *                         kernel of the original single-stage design)
     */
    static KaiserLowPass design(double passHz, double stopHz, double attenuationDb, int roundToSamplesOf) {
        if (!(stopHz > passHz) || !(passHz > 0)) {
            throw new IllegalArgumentException("low-pass needs 0 < pass < stop, got " + passHz + ", " + stopHz);
        }
        double reference = roundToSamplesOf / 2.0; // Kaiser's formula in units of a Nyquist frequency
        double zeros = Math.ceil((attenuationDb - 7.95) / (14.36 * (stopHz - passHz) / reference / 2) / 2);
        return new KaiserLowPass((passHz + stopHz) / 2, zeros / roundToSamplesOf, 0.1102 * (attenuationDb - 8.7));
    }

    /** Half-length in samples of {@code rate} (not rounded). */
    double halfSamples(int rate) {
        return halfSeconds * rate;
    }

    /** Kernel value at {@code tau} samples of {@code rate} from its centre (unit DC gain at that rate). */
    double at(double tau, int rate) {
        double half = halfSamples(rate);
        double r = Math.abs(tau) / half;
        if (r >= 1) {
            return 0;
        }
        double gain = 2 * cutoffHz / rate;
        double x = gain * tau;
        double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        return gain * sinc * besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta);
    }

    /** Zeroth-order modified Bessel function of the first kind (power series). */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return sum;
    }
}
