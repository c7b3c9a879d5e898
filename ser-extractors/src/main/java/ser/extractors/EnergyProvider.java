package ser.extractors;

import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.extractors.config.Settings;

/** {@code energy}: frame RMS (librosa.feature.rms) and log energy. */
public final class EnergyProvider implements FeatureExtractorProvider {

    public static final String NAME = "energy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Frame RMS (librosa.feature.rms on the grid) and log energy ln(floor + sum x^2)";
    }

    @Override
    public FeatureExtractor create(ExtractorContext context) {
        Settings s = new Settings(context.settings(), NAME);
        double floor = s.positiveDouble("log-floor");
        return new EnergyExtractor(context.grid(), floor);
    }
}
