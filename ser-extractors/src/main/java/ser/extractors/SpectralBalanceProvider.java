package ser.extractors;

import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.extractors.config.Settings;

/** {@code spectral-balance}: eGeMAPS-style loudness, alpha ratio, Hammarberg index, spectral slopes. */
public final class SpectralBalanceProvider implements FeatureExtractorProvider {

    public static final String NAME = "spectral-balance";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "eGeMAPS-style loudness, alpha ratio, Hammarberg index, spectral slopes 0-500 and 500-1500 Hz";
    }

    @Override
    public FeatureExtractor create(ExtractorContext context) {
        Settings s = new Settings(context.settings(), NAME);
        int bands = s.positiveInt("loudness-bands");
        double fmin = s.nonNegativeDouble("loudness-fmin");
        double floor = s.positiveDouble("floor");
        if (fmin >= context.grid().sampleRate() / 2.0) {
            throw s.invalid("loudness-fmin", "must be below the Nyquist frequency " + context.grid().sampleRate() / 2.0, fmin);
        }
        return new SpectralBalanceExtractor(context.grid(), bands, fmin, floor);
    }
}
