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
 * predicts the same probabilities within float rounding.
 */
class CrossBackendBundleTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "trained by {0}, loaded by {1}")
    @CsvSource({"djl, dl4j", "dl4j, djl"})
    void aModelTrainedOnOneBackendPredictsTheSameOnTheOther(String trainedBy, String loadedBy) {
        SyntheticFeatures features = SyntheticFeatures.builder().speakers(6).perEmotion(2).build();
        Config config = TestSupport.config("""
                ser.train { backend = %s, epochs = 2, batch-size = 8 }
                ser.model.architecture {
                  gru { units = 6, layers = 2, residual = [2], dropout = [0.0, 0.2] }
                  attention { heads = 2, key-dim = 3 }
                  pooling.units = 5
                  dense.units = [8]
                }
                """.formatted(trainedBy));
        PluginRegistry plugins = PluginRegistry.discover(getClass().getClassLoader(), null);
        Trainer trainer = new Trainer(TrainSettings.from(config), plugins.backend(trainedBy),
                TrainSettings.backendSettings(config, trainedBy), TestSupport.sink(new StringWriter()));
        Path model = tmp.resolve("model");
        TrainJob.run(trainer, features, model, TestSupport.sink(new StringWriter()));

        int[] all = new int[features.utterances().size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        List<float[][]> shaped = new ArrayList<>();
        float[][] own;
        float[][] other;
        try (ModelBundle bundle = ModelBundle.open(model, plugins, config)) {
            assertThat(bundle.model().backend()).isEqualTo(trainedBy);
            for (int i : all) {
                shaped.add(bundle.input().of(features, i));
            }
            own = bundle.predict(shaped);
        }
        try (ModelBundle bundle = ModelBundle.open(model, plugins, config, loadedBy)) {
            assertThat(bundle.model().backend()).isEqualTo(loadedBy);
            other = bundle.predict(shaped);
        }
        double spread = 0;
        for (int i = 0; i < own.length; i++) {
            for (int c = 0; c < own[i].length; c++) {
                assertThat((double) other[i][c]).as("utterance %d class %d", i, c).isCloseTo(own[i][c], within(1e-4));
                spread = Math.max(spread, Math.abs(own[i][c] - 1.0 / 8));
            }
        }
        assertThat(spread).as("trained probabilities far enough from uniform to compare").isGreaterThan(0.01);
    }
}
