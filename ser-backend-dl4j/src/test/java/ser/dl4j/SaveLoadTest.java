package ser.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ser.api.ArchitectureSpec;
import ser.api.ModelContext;
import ser.api.SequenceDataset;
import ser.api.SequenceModel;

class SaveLoadTest {

    @TempDir
    Path dir;

    private static final ArchitectureSpec SPEC = Fixtures.tinySpec();

    private Dl4jSequenceModel trained() {
        Dl4jSequenceModel model = new Dl4jSequenceModel(Fixtures.context(SPEC, 3, 4, 1));
        SequenceDataset data = Fixtures.separable(3, 8, 3, 3, 2, 8);
        model.fit(data, data, Fixtures.training(4, 2, 0.01, 0.1, 2), null);   // non-trivial batch-norm statistics
        return model;
    }

    @Test
    void roundTripKeepsPredictionsAndParameters() throws IOException {
        List<float[][]> inputs = Fixtures.sequences(new Random(1), 6, 1, 10, 3);
        try (Dl4jSequenceModel model = trained()) {
            float[][] before = model.predict(inputs);
            Map<String, float[]> params = model.parameters();
            model.save(dir);
            try (SequenceModel loaded = new Dl4jSequenceModelProvider().load(dir, Fixtures.context(SPEC, 3, 99, 1))) {
                float[][] after = loaded.predict(inputs);
                double maxDiff = 0;
                for (int i = 0; i < before.length; i++) {
                    for (int c = 0; c < before[i].length; c++) {
                        maxDiff = Math.max(maxDiff, Math.abs(before[i][c] - after[i][c]));
                    }
                }
                assertThat(maxDiff).isLessThanOrEqualTo(1e-6);
                Map<String, float[]> loadedParams = loaded.parameters();
                assertThat(loadedParams.keySet()).containsExactlyElementsOf(params.keySet());
                params.forEach((name, v) -> assertThat(loadedParams.get(name)).as(name).containsExactly(v));
            }
        }
    }

    @Test
    void missingWeightsFileIsNamed() throws IOException {
        try (Dl4jSequenceModel model = trained()) {
            model.save(dir);
        }
        Files.delete(dir.resolve(Dl4jSequenceModel.WEIGHTS_FILE));
        assertThatThrownBy(() -> Dl4jSequenceModel.load(dir, Fixtures.context(SPEC, 3, 1, 1)))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(dir.resolve(Dl4jSequenceModel.WEIGHTS_FILE).toString());
        Files.delete(dir.resolve(Dl4jSequenceModel.MODEL_FILE));
        assertThatThrownBy(() -> Dl4jSequenceModel.load(dir, Fixtures.context(SPEC, 3, 1, 1)))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(Dl4jSequenceModel.MODEL_FILE);
    }

    @Test
    void truncatedWeightsFileIsNamed() throws IOException {
        try (Dl4jSequenceModel model = trained()) {
            model.save(dir);
        }
        Path weights = dir.resolve(Dl4jSequenceModel.WEIGHTS_FILE);
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> Dl4jSequenceModel.load(dir, Fixtures.context(SPEC, 3, 1, 1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(weights.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void shapeMismatchIsNamed() throws IOException {
        try (Dl4jSequenceModel model = trained()) {
            model.save(dir);
        }
        Path weights = dir.resolve(Dl4jSequenceModel.WEIGHTS_FILE);
        Map<String, WeightsFile.Tensor> tensors = WeightsFile.read(weights);
        tensors.put("out.weight", new WeightsFile.Tensor(new long[] {2, 4}, new float[8]));
        WeightsFile.write(weights, tensors);
        assertThatThrownBy(() -> Dl4jSequenceModel.load(dir, Fixtures.context(SPEC, 3, 1, 1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(weights.toString())
                .hasMessageContaining("out.weight")
                .hasMessageContaining("[2, 4]");
    }

    @Test
    void otherArchitectureOrFeatureCountIsRejected() throws IOException {
        try (Dl4jSequenceModel model = trained()) {
            model.save(dir);
        }
        ArchitectureSpec other = new ArchitectureSpec(4, 2, true, true, List.of(2), List.of(0.0, 0.25), 2, 2, 3,
                List.of(4), 0.01, true, 0.25, 3);
        assertThatThrownBy(() -> Dl4jSequenceModel.load(dir, Fixtures.context(other, 3, 1, 1)))
                .isInstanceOf(IOException.class).hasMessageContaining(Dl4jSequenceModel.MODEL_FILE)
                .hasMessageContaining("architecture");
        ModelContext wider = Fixtures.context(SPEC, 4, 1, 1);
        assertThatThrownBy(() -> Dl4jSequenceModel.load(dir, wider))
                .isInstanceOf(IOException.class).hasMessageContaining("features");
    }
}
