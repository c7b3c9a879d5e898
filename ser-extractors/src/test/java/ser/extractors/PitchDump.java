package ser.extractors;

import ser.api.AudioClip;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;

public final class PitchDump {
    public static void main(String[] args) {
        String name = args[0];
        TestAudio.Wav wav = TestAudio.readResource("/golden/" + name + ".wav");
        var golden = Golden.json("/golden/" + name + ".json");
        FrameGrid grid = Contexts.librosaGrid(wav.sampleRate());
        FeatureTrack tr = Contexts.create("pitch", grid, "median-filter = 0").extract(new AudioClip(wav.samples(), wav.sampleRate()));
        double[] pyin = Golden.feature(golden, "pyin_f0")[0];
        double[] yin = Golden.feature(golden, "yin_f0")[0];
        double[] rms = Golden.feature(golden, "rms")[0];
        ser.extractors.dsp.Yin y = new ser.extractors.dsp.Yin(wav.sampleRate(), 65, 2093, 0.1);
        double[] span = new double[y.span()];
        for (int t = 0; t < pyin.length; t++) {
            ser.extractors.dsp.Signals.window(wav.samples(), grid.frameCenter(t) - span.length / 2, span, span.length);
            y.analyse(span);
            System.out.printf("%3d rms %.4f pyin %7.1f yin %7.1f | ours f0 %7.1f ap %.3f p %.3f%n", t, rms[t], pyin[t], yin[t], y.f0(), y.aperiodicity(), y.voicingProbability());
        }
    }
}
