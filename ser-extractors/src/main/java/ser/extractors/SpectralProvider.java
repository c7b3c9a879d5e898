package ser.extractors;

import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.api.FrameGrid;
import ser.extractors.config.Settings;

/** {@code spectral}: librosa-compatible spectral shape descriptors, flux and zero-crossing rate. */
public final class SpectralProvider implements FeatureExtractorProvider {

    public static final String NAME = "spectral";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Spectral centroid, bandwidth, roll-off, flatness, contrast (librosa 0.10.2), flux, zero-crossing rate";
    }

    @Override
    public FeatureExtractor create(ExtractorContext context) {
        FrameGrid grid = context.grid();
        Settings s = new Settings(context.settings(), NAME);
        double rolloff = s.openInterval("rolloff-percent", 0.0, 1.0);
        double p = s.positiveDouble("bandwidth-p");
        double amin = s.positiveDouble("flatness-amin");
        double power = s.positiveDouble("flatness-power");
        int bands = s.positiveInt("contrast-bands");
        double cfmin = s.positiveDouble("contrast-fmin");
        double quantile = s.openInterval("contrast-quantile", 0.0, 1.0);
        boolean linear = s.getBoolean("contrast-linear");
        double zcrThreshold = s.nonNegativeDouble("zcr-threshold");
        double nyquist = grid.sampleRate() / 2.0;
        double topBand = cfmin * Math.pow(2.0, bands - 1);
        if (topBand >= nyquist) {
            throw s.invalid("contrast-bands", "is too many for contrast-fmin " + cfmin + " Hz: the lower edge of the "
                    + "top band (" + topBand + " Hz) must be below the Nyquist frequency " + nyquist + " Hz", bands);
        }
        SpectralExtractor.ContrastBands cb = SpectralExtractor.ContrastBands.build(grid, bands, cfmin, quantile);
        if (cb == null) {
            throw s.invalid("contrast-bands", "leaves a contrast band with no FFT bin at frame length "
                    + grid.frameLength() + " (lower contrast-fmin or contrast-bands, or use longer frames)", bands);
        }
        return new SpectralExtractor(grid, rolloff, p, amin, power, cb, linear, zcrThreshold);
    }
}
