package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ser.api.ArchitectureSpec;
import ser.api.ModelContext;
import ser.api.SequenceDataset;
import ser.api.SequenceModel;
import ser.api.SequenceModelProvider;

class PersistenceTest {

    @TempDir
    Path dir;

    private static SequenceModelProvider provider() {
        return ServiceLoader.load(SequenceModelProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("djl")).findFirst().orElseThrow();
    }

    @Test
    void saveThenLoadGivesTheSameProbabilities() throws IOException {
        SequenceDataset data = TestData.dataset(51, 12, 2, 9, 4);
        ModelContext context = TestData.context(TestData.tinySpec(0.3), 8);
        float[][] before;
        try (SequenceModel model = provider().create(context)) {
            assertThat(model.backend()).isEqualTo("djl");
            model.fit(data, data, TestData.training(4, 2, 1e-2, 0.1, 2), null);
            before = model.predict(data.inputs());
            model.save(dir);
        }
        assertThat(dir.resolve(DjlSequenceModel.WEIGHTS_FILE)).isRegularFile();
        assertThat(dir.resolve(DjlSequenceModel.MANIFEST_FILE)).isRegularFile();
        try (SequenceModel loaded = provider().load(dir, context)) {
            float[][] after = loaded.predict(data.inputs());
            for (int i = 0; i < before.length; i++) {
                for (int c = 0; c < before[i].length; c++) {
                    assertThat(Math.abs(after[i][c] - before[i][c])).isLessThanOrEqualTo(1e-6f);
                }
            }
        }
    }

    @Test
    void damagedOrMismatchedFilesGiveClearErrors() throws IOException {
        ModelContext context = TestData.context(TestData.tinySpec(0.0), 9);
        try (SequenceModel model = provider().create(context)) {
            model.save(dir);
        }
        // Another architecture (3 classes instead of 4).
        ArchitectureSpec other = new ArchitectureSpec(8, 2, true, true, List.of(2), List.of(0.0, 0.0), 2, 4, 8,
                List.of(12), 0.001, true, 0.0, 3);
        assertThatThrownBy(() -> provider().load(dir, TestData.context(other, 9)))
                .isInstanceOf(IOException.class).hasMessageContaining(DjlSequenceModel.MANIFEST_FILE)
                .hasMessageContaining("classes=3").hasMessageContaining("classes=4");
        // Truncated weights.
        Path weights = dir.resolve(DjlSequenceModel.WEIGHTS_FILE);
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> provider().load(dir, context))
                .isInstanceOf(IOException.class).hasMessageContaining(weights.toString()).hasMessageContaining("truncated");
        // Missing weights and missing directory.
        Files.delete(weights);
        assertThatThrownBy(() -> provider().load(dir, context))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining(weights.toString());
        assertThatThrownBy(() -> provider().load(dir.resolve("nowhere"), context))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining(DjlSequenceModel.MANIFEST_FILE);
    }

    @Test
    void closedModelRefusesWorkAndTwoModelsCoexist() {
        ModelContext context = TestData.context(TestData.tinySpec(0.0), 10);
        SequenceModel a = provider().create(context);
        try (SequenceModel b = provider().create(context)) {
            a.close();
            a.close();
            assertThatThrownBy(() -> a.predict(List.of())).isInstanceOf(IllegalStateException.class);
            assertThat(b.predict(java.util.Collections.singletonList(new float[2][TestData.FEATURES]))).hasNumberOfRows(1);
        }
    }
}
