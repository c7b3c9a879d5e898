package ser.extractors;

import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.extractors.config.Settings;

/** {@code voice-quality}: harmonics-to-noise ratio, local jitter and local shimmer. */
public final class VoiceQualityProvider implements FeatureExtractorProvider {

    public static final String NAME = "voice-quality";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Harmonics-to-noise ratio (dB, normalised autocorrelation), local jitter and local shimmer (dB)";
    }

    @Override
    public FeatureExtractor create(ExtractorContext context) {
        Settings s = new Settings(context.settings(), NAME);
        double fmin = s.positiveDouble("fmin");
        double fmax = s.positiveDouble("fmax");
        int rate = context.grid().sampleRate();
        if (fmax <= fmin || fmax >= rate / 2.0) {
            throw s.invalid("fmax", "must be above fmin " + fmin + " Hz and below the Nyquist frequency " + rate / 2.0, fmax);
        }
        double windowSeconds = s.positiveDouble("window-s");
        int span = (int) Math.round(windowSeconds * rate);
        int maxLag = (int) Math.ceil(rate / fmin);
        if (span < 2 * maxLag) {
            throw s.invalid("window-s", "must hold at least two periods of fmin (" + 2.0 / fmin + " s)", windowSeconds);
        }
        double voicing = s.openInterval("voicing-threshold", 0.0, 1.0);
        double silence = s.nonNegativeDouble("silence-power");
        return new VoiceQualityExtractor(context.grid(), span, fmin, fmax, voicing, silence);
    }
}
