package ser.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void emotionLabelsAreTheOriginalPipelines() {
        assertThat(Emotion.values()).extracting(Emotion::label).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(Emotion.ofLabel(4)).isEqualTo(Emotion.ANGER);
        assertThat(Emotion.ofIndex(0)).isEqualTo(Emotion.FEAR);
        assertThat(Emotion.ofId(" Surprise ")).isEqualTo(Emotion.SURPRISE);
        assertThat(Emotion.OTHERS.id()).isEqualTo("others");
        assertThatThrownBy(() -> Emotion.ofLabel(9)).hasMessageContaining("1..8");
        assertThatThrownBy(() -> Emotion.ofId("calm")).hasMessageContaining("unknown emotion 'calm'");
    }

    @Test
    void centeredGridCountsFramesLikeLibrosa() {
        FrameGrid grid = new FrameGrid(16000, 2048, 512, true);
        // librosa: 1 + len // hop frames with center=True.
        assertThat(grid.frameCount(16000)).isEqualTo(32);
        assertThat(grid.frameCount(1)).isEqualTo(1);
        assertThat(grid.frameCount(0)).isZero();
        assertThat(grid.frameStart(0)).isEqualTo(-1024);
        assertThat(grid.frameCenter(3)).isEqualTo(1536);
        assertThat(grid.frameTimeSeconds(1)).isCloseTo(0.032, within(1e-12));
    }

    @Test
    void uncenteredGridHasOnlyFullFrames() {
        FrameGrid grid = new FrameGrid(16000, 400, 160, false);
        assertThat(grid.frameCount(399)).isZero();
        assertThat(grid.frameCount(400)).isEqualTo(1);
        assertThat(grid.frameCount(560)).isEqualTo(2);
        assertThat(grid.frameCenter(0)).isEqualTo(200);
    }

    @Test
    void framesOutsideTheSignalReadAsZero() {
        FrameGrid grid = new FrameGrid(8, 4, 2, true);
        float[] signal = {1, 2, 3, 4, 5};
        float[] frame = new float[4];
        grid.copyFrame(signal, 0, frame);
        assertThat(frame).containsExactly(0, 0, 1, 2);
        grid.copyFrame(signal, 2, frame);
        assertThat(frame).containsExactly(3, 4, 5, 0);
        float[] wide = new float[8];
        FrameGrid.copyWindow(signal, -10, wide);
        assertThat(wide).containsOnly(0f);
        assertThatThrownBy(() -> new FrameGrid(16000, 0, 160, true)).hasMessageContaining("positive");
    }

    @Test
    void featureTrackRowsMustMatchColumns() {
        FeatureTrack track = new FeatureTrack(List.of("a", "b"), new float[][] {{1, 2}}, Map.of("x", 1.0));
        assertThat(track.frameCount()).isEqualTo(1);
        assertThatThrownBy(() -> new FeatureTrack(List.of("a", "b"), new float[][] {{1, 2}, {3}}))
                .hasMessageContaining("frame 1 has 1 values for 2 columns");
    }

    @Test
    void learningRateDecaysOnlyAfterTheStartEpoch() {
        TrainingSpec spec = new TrainingSpec(32, 100, 1e-3, 10, 0.999, 10, 0.1, false, TrainingSpec.ClassWeights.NONE);
        assertThat(spec.learningRateAt(1)).isEqualTo(1e-3);
        assertThat(spec.learningRateAt(10)).isEqualTo(1e-3);
        assertThat(spec.learningRateAt(11)).isCloseTo(1e-3 * 0.999, within(1e-15));
        assertThat(spec.learningRateAt(13)).isCloseTo(1e-3 * Math.pow(0.999, 3), within(1e-15));
    }

    @Test
    void architectureSpecRejectsInconsistentLayers() {
        assertThat(new ArchitectureSpec(128, 3, true, true, List.of(2), List.of(0.0, 0.3, 0.3), 4, 64, 128,
                List.of(128, 64), 0.01, true, 0.3, 8).gruOutputWidth()).isEqualTo(256);
        assertThatThrownBy(() -> new ArchitectureSpec(8, 2, true, true, List.of(), List.of(0.1), 0, 0, 4, List.of(), 0, false, 0, 8))
                .hasMessageContaining("one value per GRU layer");
        assertThatThrownBy(() -> new ArchitectureSpec(8, 2, true, true, List.of(1), List.of(0.1, 0.1), 0, 0, 4, List.of(), 0, false, 0, 8))
                .hasMessageContaining("residual layer 1 must be in 2..2");
        assertThatThrownBy(() -> new ArchitectureSpec(8, 1, true, true, List.of(), List.of(1.0), 0, 0, 4, List.of(), 0, false, 0, 8))
                .hasMessageContaining("gru dropout must be in [0, 1)");
    }

    @Test
    void sequenceDatasetChecksShapes() {
        assertThatThrownBy(() -> new SequenceDataset(List.<float[][]>of(new float[][] {{1, 2}}), new int[] {0}, 3))
                .hasMessageContaining("sequence 0 has 2 features, expected 3");
        assertThatThrownBy(() -> new SequenceDataset(List.<float[][]>of(new float[0][0]), new int[] {0}, 3))
                .hasMessageContaining("no frames");
        assertThat(new SequenceDataset(List.<float[][]>of(new float[][] {{1, 2}}), new int[] {1}, 2).size()).isEqualTo(1);
    }
}
