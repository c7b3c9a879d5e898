package ser.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StandardizerTest {

    @Test
    void fitsPerColumnOverAllFrames() {
        List<float[][]> seqs = List.of(new float[][] {{1, 10, 5}, {3, 10, 5}}, new float[][] {{5, 10, 5}});
        Standardizer s = Standardizer.fit(seqs, 3);
        assertThat(s.mean()[0]).isCloseTo(3, within(1e-12));
        assertThat(s.std()[0]).isCloseTo(Math.sqrt(8.0 / 3), within(1e-12)); // population std of 1, 3, 5
        assertThat(s.mean()[1]).isCloseTo(10, within(1e-12));
        assertThat(s.std()[1]).as("constant column keeps std 1").isEqualTo(1.0);
        float[][] z = s.apply(new float[][] {{3, 10, 6}});
        assertThat(z[0][0]).isEqualTo(0f);
        assertThat(z[0][1]).isEqualTo(0f);
        assertThat(z[0][2]).isEqualTo(1f);
    }

    @Test
    void accurateWithALargeOffset() {
        float[][] seq = new float[1000][1];
        for (int i = 0; i < seq.length; i++) {
            seq[i][0] = 1e6f + (i % 2 == 0 ? 1 : -1);
        }
        Standardizer s = Standardizer.fit(List.<float[][]>of(seq), 1);
        assertThat(s.mean()[0]).isCloseTo(1e6, within(1e-6));
        assertThat(s.std()[0]).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void doesNotModifyItsInput() {
        float[][] seq = {{2, 4}};
        Standardizer s = new Standardizer(new double[] {1, 1}, new double[] {2, 2});
        float[][] z = s.apply(seq);
        assertThat(seq[0]).containsExactly(2, 4);
        assertThat(z[0]).containsExactly(0.5f, 1.5f);
    }

    @Test
    void centreCropsLongSequences() {
        float[][] frames = new float[10][1];
        for (int i = 0; i < 10; i++) {
            frames[i][0] = i;
        }
        float[][] capped = InputShape.cap(frames, 4);
        assertThat(capped).hasNumberOfRows(4);
        assertThat(capped[0][0]).isEqualTo(3f);
        assertThat(capped[3][0]).isEqualTo(6f);
        assertThat(InputShape.cap(frames, 0)).isSameAs(frames);
        assertThat(InputShape.cap(frames, 10)).isSameAs(frames);
    }
}
