package ser.extractors;

import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.api.FrameGrid;
import ser.extractors.config.Settings;

import java.util.Set;

/** {@code mfcc}: mel-frequency cepstral coefficients, librosa-compatible by default. */
public final class MfccProvider implements FeatureExtractorProvider {

    public static final String NAME = "mfcc";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "MFCC (power STFT, Slaney/HTK mel, dB or ln, ortho DCT-II; librosa 0.10.2 mode), optional deltas";
    }

    @Override
    public FeatureExtractor create(ExtractorContext context) {
        FrameGrid grid = context.grid();
        Settings s = new Settings(context.settings(), NAME);
        MfccExtractor.Mode mode = s.getChoice("mode", Set.of("librosa", "natural-log")).equals("librosa")
                ? MfccExtractor.Mode.LIBROSA : MfccExtractor.Mode.NATURAL_LOG;
        int nMfcc = s.positiveInt("n-mfcc");
        int nMels = s.positiveInt("n-mels");
        if (nMfcc > nMels) {
            throw s.invalid("n-mfcc", "must be <= ser.extractors.mfcc.n-mels (" + nMels + ")", nMfcc);
        }
        double nyquist = grid.sampleRate() / 2.0;
        double fmin = s.nonNegativeDouble("fmin");
        double fmax = s.nonNegativeDouble("fmax");
        if (fmax == 0.0) {
            fmax = nyquist;
        }
        if (fmax > nyquist) {
            throw s.invalid("fmax", "must be <= the Nyquist frequency " + nyquist + " Hz (0 = Nyquist)", fmax);
        }
        if (fmin >= fmax) {
            throw s.invalid("fmin", "must be < fmax (" + fmax + " Hz)", fmin);
        }
        boolean htk = s.getBoolean("htk");
        boolean slaneyNorm = s.getChoice("mel-norm", Set.of("slaney", "none")).equals("slaney");
        double amin = s.positiveDouble("amin");
        double topDb = s.nonNegativeDouble("top-db");
        boolean deltas = s.getBoolean("deltas");
        boolean deltaDeltas = s.getBoolean("delta-deltas");
        int width = s.getInt("delta-width");
        if (width < 3 || width % 2 == 0) {
            throw s.invalid("delta-width", "must be an odd integer >= 3", width);
        }
        if (grid.frameLength() < 2) {
            throw new IllegalArgumentException("ser.extractors.mfcc needs a grid frame length >= 2, got "
                    + grid.frameLength());
        }
        return new MfccExtractor(grid, mode, nMfcc, nMels, fmin, fmax, htk, slaneyNorm, amin, topDb,
                deltas, deltaDeltas, width);
    }
}
