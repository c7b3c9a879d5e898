package ser.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import ser.api.FrameGrid;
import ser.pipeline.UsageException;
import ser.pipeline.extract.Extraction;

class InputShapeTest {

    /** 10 ms hop. */
    private static final FrameGrid GRID = new FrameGrid(16000, 512, 160, true);

    /** frames[t] = {t, 10 t}. */
    private static float[][] ramp(int frames) {
        float[][] f = new float[frames][];
        for (int t = 0; t < frames; t++) {
            f[t] = new float[] {t, 10 * t};
        }
        return f;
    }

    @Test
    void blocksAreAveragedAndAShortLastBlockOverItsOwnFrames() {
        float[][] pooled = InputShape.pool(ramp(10), 4);
        assertThat(pooled).hasNumberOfRows(3);
        assertThat(pooled[0]).containsExactly(1.5f, 15f); // frames 0..3
        assertThat(pooled[1]).containsExactly(5.5f, 55f); // frames 4..7
        assertThat(pooled[2]).containsExactly(8.5f, 85f); // frames 8, 9 only
    }

    @Test
    void poolOfOneIsTheSameArrayAndShortSequencesGiveOneStep() {
        float[][] frames = ramp(3);
        assertThat(InputShape.pool(frames, 1)).isSameAs(frames);
        assertThat(InputShape.pool(frames, 8)).hasNumberOfRows(1);
        assertThat(InputShape.pool(frames, 8)[0]).containsExactly(1f, 10f);
    }

    @Test
    void stepInSecondsBecomesFramesPerStepOnTheGrid() {
        InputShape shape = new InputShape(InputShape.Mode.SEQUENCE, 0.04, 3.0);
        assertThat(shape.poolFrames(GRID)).isEqualTo(4);
        assertThat(shape.maxSteps(GRID)).isEqualTo(75);
        // The same seconds on a 20 ms hop: half the frames per step, the same duration.
        FrameGrid coarse = new FrameGrid(16000, 512, 320, true);
        assertThat(shape.poolFrames(coarse)).isEqualTo(2);
        assertThat(shape.maxSteps(coarse)).isEqualTo(75);
        assertThat(InputShape.sequence(3.0).poolFrames(GRID)).isEqualTo(1);
        assertThat(InputShape.sequence(3.0).maxSteps(GRID)).isEqualTo(300);
        assertThat(InputShape.sequence(0).maxSteps(GRID)).isZero();
    }

    @Test
    void aStepThatIsNotAWholeNumberOfHopsNamesTheKey() {
        InputShape shape = new InputShape(InputShape.Mode.SEQUENCE, 0.035, 3.0);
        assertThatThrownBy(() -> shape.check(GRID)).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("ser.train.frame-step-s: 0.035 s is not a whole number of the grid's hop");
        assertThatThrownBy(() -> new InputShape(InputShape.Mode.SEQUENCE, 0.004, 3.0).check(GRID))
                .isInstanceOf(UsageException.class);
    }

    @Test
    void poolingComesBeforeTheCentreCrop() {
        // 100 frames -> 25 steps of 40 ms; a 0.4 s cap keeps the middle 10 steps (7..16).
        InputShape shape = new InputShape(InputShape.Mode.SEQUENCE, 0.04, 0.4);
        float[][] shaped = shape.of(new Extraction(ramp(100), new float[] {7f}), GRID, "clip.wav");
        assertThat(shaped).hasNumberOfRows(10);
        assertThat(shaped[0]).containsExactly(29.5f, 295f); // step 7 = frames 28..31
        assertThat(shaped[9]).containsExactly(65.5f, 655f); // step 16 = frames 64..67
    }

    @Test
    void utteranceInputIgnoresTheStep() {
        InputShape shape = new InputShape(InputShape.Mode.UTTERANCE, 0.04, 0.4);
        float[][] shaped = shape.of(new Extraction(ramp(100), new float[] {7f, 8f}), GRID, "clip.wav");
        assertThat(shaped).hasNumberOfRows(1);
        assertThat(shaped[0]).containsExactly(7f, 8f);
    }
}
