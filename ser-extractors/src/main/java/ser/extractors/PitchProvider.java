package ser.extractors;

import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.extractors.config.Settings;

/** {@code pitch}: F0 (YIN) with a voicing probability (periodicity) and an explicit voiced flag. */
public final class PitchProvider implements FeatureExtractorProvider {

    public static final String NAME = "pitch";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "F0 in Hz by FFT-based YIN, voicing probability (YIN periodicity) and voiced flag";
    }

    @Override
    public FeatureExtractor create(ExtractorContext context) {
        Settings s = new Settings(context.settings(), NAME);
        int sr = context.grid().sampleRate();
        double fmin = s.positiveDouble("fmin");
        double fmax = s.positiveDouble("fmax");
        if (fmax <= fmin) {
            throw s.invalid("fmax", "must be > fmin (" + fmin + " Hz)", fmax);
        }
        if (fmax >= sr / 2.0 || sr / fmax < 2.0) {
            throw s.invalid("fmax", "must be below the Nyquist frequency " + sr / 2.0 + " Hz", fmax);
        }
        if (sr / fmin > 1 << 20) {
            throw s.invalid("fmin", "is too low for the sample rate " + sr + " Hz", fmin);
        }
        double trough = s.openInterval("trough-threshold", 0.0, 1.0);
        double voicing = s.openInterval("voicing-threshold", 0.0, 1.0);
        double silenceDb = s.getDouble("silence-db");
        if (silenceDb >= 0) {
            throw s.invalid("silence-db", "must be < 0 (dB re full scale)", silenceDb);
        }
        int median = s.nonNegativeInt("median-filter");
        if (median > 0 && median % 2 == 0) {
            throw s.invalid("median-filter", "must be 0 (off) or odd", median);
        }
        double stRef = s.positiveDouble("semitone-reference");
        return new PitchExtractor(context.grid(), fmin, fmax, trough, voicing, silenceDb, median, stRef);
    }
}
