package ser.extractors;

import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.extractors.config.Settings;

/** {@code formants}: F1..F3 from LPC envelope peaks. */
public final class FormantProvider implements FeatureExtractorProvider {

    public static final String NAME = "formants";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Formant frequencies F1-F3 (Hz) from the peaks of an LPC envelope (autocorrelation method)";
    }

    @Override
    public FeatureExtractor create(ExtractorContext context) {
        Settings s = new Settings(context.settings(), NAME);
        int order = s.positiveInt("lpc-order");
        double pre = s.openInterval("pre-emphasis", -1.0, 1.0);
        double edge = s.nonNegativeDouble("edge-hz");
        int fftLength = s.positiveInt("fft-length");
        if (fftLength % 2 != 0 || fftLength <= order) {
            throw s.invalid("fft-length", "must be even and greater than lpc-order " + order, fftLength);
        }
        if (order >= context.grid().frameLength()) {
            throw s.invalid("lpc-order", "must be below the frame length " + context.grid().frameLength(), order);
        }
        return new FormantExtractor(context.grid(), order, pre, edge, fftLength);
    }
}
