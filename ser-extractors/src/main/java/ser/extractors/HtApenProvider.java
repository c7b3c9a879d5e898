package ser.extractors;

import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.extractors.config.Settings;

/** {@code ht-apen}: Approximate Entropy of the Hilbert envelope, per frame and per utterance. */
public final class HtApenProvider implements FeatureExtractorProvider {

    public static final String NAME = "ht-apen";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Approximate Entropy (Pincus 1991, exact fast algorithm) of the Hilbert envelope, per frame and utterance";
    }

    @Override
    public FeatureExtractor create(ExtractorContext context) {
        Settings s = new Settings(context.settings(), NAME);
        int m = s.positiveInt("m");
        double rFactor = s.positiveDouble("r-factor");
        int window = s.nonNegativeInt("window-length");
        if (window == 0) {
            window = context.grid().frameLength();
        }
        int sr = context.grid().sampleRate();
        double envelopeRate = s.nonNegativeDouble("envelope-rate");
        if (envelopeRate > sr) {
            throw s.invalid("envelope-rate", "must be <= the sample rate " + sr + " Hz (0 = no coarse-graining)",
                    envelopeRate);
        }
        int block = envelopeRate > 0 ? Math.max(1, (int) Math.round(sr / envelopeRate)) : 1;
        if (window / block <= m + 1) {
            throw s.invalid("window-length", "must hold more than m + 1 = " + (m + 1) + " coarse-grained values ("
                    + block + " samples each; 0 = grid frame length " + context.grid().frameLength() + ")", window);
        }
        boolean utterance = s.getBoolean("utterance");
        double utteranceRate = s.nonNegativeDouble("utterance-rate");
        if (utteranceRate > context.grid().sampleRate()) {
            throw s.invalid("utterance-rate", "must be <= the sample rate " + context.grid().sampleRate()
                    + " Hz (0 = no decimation)", utteranceRate);
        }
        int maxLength = s.getInt("utterance-max-length");
        if (maxLength <= m + 1) {
            throw s.invalid("utterance-max-length", "must be > m + 1 = " + (m + 1), maxLength);
        }
        return new HtApenExtractor(context.grid(), m, rFactor, window, block, utterance, utteranceRate, maxLength);
    }
}
