package ser.extractors;

import com.fasterxml.jackson.databind.JsonNode;
import ser.api.AudioClip;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;

/** Shared by the pitch test and the agreement report: our pitch vs golden yin/pyin. */
public final class PitchEvaluation {

    record Agreement(String file, int frames, int bothVoiced, double within5, double within5Yin,
                     double voicingAgreement, double medianRelErr, int ourVoiced, int pyinVoiced) {
        @Override
        public String toString() {
            return String.format("%-24s frames %3d | voicing agreement with pyin %5.1f%% (ours %3d, pyin %3d voiced)"
                            + " | both voiced %3d: F0 within 5%% of pyin %5.1f%%, of yin %5.1f%%, median rel err %.2f%%",
                    file, frames, 100 * voicingAgreement, ourVoiced, pyinVoiced, bothVoiced, 100 * within5,
                    100 * within5Yin, 100 * medianRelErr);
        }
    }

    private PitchEvaluation() {
    }

    static Agreement compare(String name, String overrides) {
        TestAudio.Wav wav = TestAudio.readResource("/golden/" + name + ".wav");
        JsonNode golden = Golden.json("/golden/" + name + ".json");
        FrameGrid grid = Contexts.librosaGrid(wav.sampleRate());
        FeatureTrack track = Contexts.create("pitch", grid, overrides).extract(new AudioClip(wav.samples(), wav.sampleRate()));
        double[] pyin = Golden.feature(golden, "pyin_f0")[0];
        double[] yin = Golden.feature(golden, "yin_f0")[0];
        int n = Math.min(pyin.length, track.frameCount());
        int agree = 0;
        int both = 0;
        int within = 0;
        int withinYin = 0;
        int ours = 0;
        int theirs = 0;
        double[] rel = new double[n];
        for (int t = 0; t < n; t++) {
            double f = track.frames()[t][0];
            boolean v = track.frames()[t][2] > 0.5;
            boolean pv = pyin[t] > 0;
            ours += v ? 1 : 0;
            theirs += pv ? 1 : 0;
            if (v == pv) {
                agree++;
            }
            if (v && pv) {
                double e = Math.abs(f - pyin[t]) / pyin[t];
                rel[both++] = e;
                if (e <= 0.05) {
                    within++;
                }
                if (Math.abs(f - yin[t]) / yin[t] <= 0.05) {
                    withinYin++;
                }
            }
        }
        java.util.Arrays.sort(rel, 0, both);
        double median = both == 0 ? 0 : rel[both / 2];
        return new Agreement(name, n, both, both == 0 ? 0 : within / (double) both,
                both == 0 ? 0 : withinYin / (double) both, agree / (double) n, median, ours, theirs);
    }

    public static void main(String[] args) {
        String overrides = args.length > 0 ? String.join("\n", args) : null;
        for (String name : new String[] {"speech_m_22050", "speech_m_16000", "speech_f_22050", "speech_f_48000_stereo24"}) {
            System.out.println(compare(name, overrides));
        }
    }
}
