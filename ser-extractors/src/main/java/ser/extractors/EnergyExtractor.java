package ser.extractors;

import ser.api.AudioClip;
import ser.api.FeatureExtractor;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;
import ser.extractors.dsp.Signals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Energy on the shared grid, over the raw (unwindowed) frame of {@code frameLength} samples, zero
 * padded outside the signal: {@code rms = sqrt(mean(x^2))} (= {@code librosa.feature.rms(y,
 * frame_length, hop_length, center)}) and {@code log_energy = ln(log-floor + sum(x^2))} (defined
 * for silence: {@code ln(log-floor)}). Utterance values: {@code rms} of the whole signal and
 * {@code peak}, its largest absolute sample (0 for an empty clip).
 */
public final class EnergyExtractor implements FeatureExtractor {

    private static final List<String> COLUMNS = List.of("rms", "log_energy");
    private static final List<String> UTTERANCE = List.of("rms", "peak");

    private final FrameGrid grid;
    private final double floor;

    EnergyExtractor(FrameGrid grid, double floor) {
        this.grid = grid;
        this.floor = floor;
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public List<String> utteranceColumns() {
        return UTTERANCE;
    }

    @Override
    public FeatureTrack extract(AudioClip clip) {
        Checks.sameRate(EnergyProvider.NAME, clip, grid);
        float[] x = Signals.finite(clip);
        int len = x.length;
        int n = grid.frameCount(len);
        int fl = grid.frameLength();
        float[][] frames = new float[n][2];
        double total = 0.0;
        double peak = 0.0;
        for (int i = 0; i < len; i++) {
            double v = x[i];
            total += v * v;
            peak = Math.max(peak, Math.abs(v));
        }
        for (int t = 0; t < n; t++) {
            int start = grid.frameStart(t);
            int from = Math.max(0, start);
            int to = Math.min(len, start + fl);
            double e = 0.0;
            for (int i = from; i < to; i++) {
                double v = x[i];
                e += v * v;
            }
            frames[t][0] = (float) Math.sqrt(e / fl);
            frames[t][1] = (float) Math.log(floor + e);
        }
        Map<String, Double> u = new LinkedHashMap<>();
        u.put("rms", len == 0 ? 0.0 : Math.sqrt(total / len));
        u.put("peak", peak);
        return new FeatureTrack(COLUMNS, frames, u);
    }
}
