package ser.pipeline.model;

import ser.pipeline.train.SyntheticFeatures;
import ser.pipeline.train.TestSupport;
import ser.pipeline.train.TrainJob;
import ser.pipeline.train.TrainSettings;
import ser.pipeline.train.Trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.Config;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.plugins.PluginRegistry;

/**
 * A bundle trained by one backend loads into the other (the weights file is canonical) and
 * predicts the same probabilities within float rounding; so does the plain-Java network
 * ({@code ser.inference = java}, the default) on either backend's weights.
 */
class CrossBackendBundleTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "trained by {0}, loaded by {1}")
    @CsvSource({"djl, dl4j", "dl4j, djl"})
    void aModelTrainedOnOneBackendPredictsTheSameOnTheOther(String trainedBy, String loadedBy) {
        Config config = config(trainedBy, "backend");
        Path model = train(config, trainedBy);
        List<float[][]> shaped = inputs(model, config);
        float[][] own;
        float[][] other;
        PluginRegistry plugins = PluginRegistry.discover(getClass().getClassLoader(), null);
        try (ModelBundle bundle = ModelBundle.open(model, plugins, config)) {
            assertThat(bundle.model().backend()).isEqualTo(trainedBy);
            assertThat(bundle.inference()).isEqualTo(trainedBy);
            own = bundle.predict(shaped);
        }
        try (ModelBundle bundle = ModelBundle.open(model, plugins, config, loadedBy)) {
            assertThat(bundle.model().backend()).isEqualTo(loadedBy);
            assertThat(bundle.inference()).isEqualTo(loadedBy);
            other = bundle.predict(shaped);
        }
        assertClose(other, own, 1e-4);
    }

    @ParameterizedTest(name = "trained by {0}")
    @CsvSource({"djl", "dl4j"})
    void javaInferencePredictsWhatTheBackendPredicts(String trainedBy) {
        Config backend = config(trainedBy, "backend");
        Path model = train(backend, trainedBy);
        List<float[][]> shaped = inputs(model, backend);
        PluginRegistry plugins = PluginRegistry.discover(getClass().getClassLoader(), null);
        float[][] expected;
        try (ModelBundle bundle = ModelBundle.open(model, plugins, backend)) {
            expected = bundle.predict(shaped);
        }
        try (ModelBundle bundle = ModelBundle.open(model, plugins, config(trainedBy, "java"))) {
            assertThat(bundle.inference()).isEqualTo("java");
            assertClose(bundle.predict(shaped), expected, 1e-5);
        }
    }

    private Path train(Config config, String backend) {
        PluginRegistry plugins = PluginRegistry.discover(getClass().getClassLoader(), null);
        Trainer trainer = new Trainer(TrainSettings.from(config), plugins.backend(backend),
                TrainSettings.backendSettings(config, backend), TestSupport.sink(new StringWriter()));
        Path model = tmp.resolve("model");
        TrainJob.run(trainer, FEATURES, model, TestSupport.sink(new StringWriter()));
        return model;
    }

    private static final SyntheticFeatures FEATURES = SyntheticFeatures.builder().speakers(6).perEmotion(2).build();

    /** Every utterance's model input, shaped as the bundle in {@code model} wants it. */
    private List<float[][]> inputs(Path model, Config config) {
        List<float[][]> shaped = new ArrayList<>();
        try (ModelBundle bundle = ModelBundle.open(model, PluginRegistry.discover(getClass().getClassLoader(), null), config)) {
            for (int i = 0; i < FEATURES.utterances().size(); i++) {
                shaped.add(bundle.input().of(FEATURES, i));
            }
        }
        return shaped;
    }

    private static void assertClose(float[][] actual, float[][] expected, double tolerance) {
        double spread = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int c = 0; c < expected[i].length; c++) {
                assertThat((double) actual[i][c]).as("utterance %d class %d", i, c).isCloseTo(expected[i][c], within(tolerance));
                spread = Math.max(spread, Math.abs(expected[i][c] - 1.0 / 8));
            }
        }
        assertThat(spread).as("trained probabilities far enough from uniform to compare").isGreaterThan(0.01);
    }

    private static Config config(String backend, String inference) {
        return TestSupport.config("""
                ser.inference = %s
                ser.train { backend = %s, epochs = 2, batch-size = 8 }
                ser.model.architecture {
                  gru { units = 6, layers = 2, residual = [2], dropout = [0.0, 0.2] }
                  attention { heads = 2, key-dim = 3 }
                  pooling.units = 5
                  dense.units = [8]
                }
                """.formatted(inference, backend));
    }
}
