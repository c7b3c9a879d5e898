package ser.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;
import ser.api.ArchitectureSpec;
import ser.api.Emotion;
import ser.api.TrainingSpec;
import ser.pipeline.UsageException;
import ser.pipeline.config.ConfigValidator;

class TrainSettingsTest {

    private static Config defaults(String user) {
        return ConfigValidator.validate(com.typesafe.config.ConfigFactory.parseString(user),
                ConfigValidator.reference(List.of(TrainSettingsTest.class.getClassLoader())));
    }

    @Test
    void defaultsAreTheOriginalModel() {
        TrainSettings s = TrainSettings.from(defaults(""));
        ArchitectureSpec a = s.architecture();
        assertThat(a.gruUnits()).isEqualTo(128);
        assertThat(a.gruLayers()).isEqualTo(3);
        assertThat(a.bidirectional()).isTrue();
        assertThat(a.residualLayers()).containsExactly(2);
        assertThat(a.gruDropout()).containsExactly(0.0, 0.3, 0.3);
        assertThat(a.attentionHeads()).isEqualTo(4);
        assertThat(a.attentionKeyDim()).isEqualTo(64);
        assertThat(a.denseUnits()).containsExactly(128, 64);
        assertThat(a.denseL2()).isEqualTo(0.01);
        assertThat(a.classes()).isEqualTo(Emotion.COUNT);
        TrainingSpec t = s.training();
        assertThat(t.batchSize()).isEqualTo(32);
        assertThat(t.maxEpochs()).isEqualTo(100);
        assertThat(t.learningRate()).isEqualTo(0.001);
        assertThat(s.optimizer()).isEqualTo(new ser.api.OptimizerSpec(0.9, 0.999, 1e-7, 1.0));
        assertThat(t.patience()).isEqualTo(10);
        assertThat(t.lrDecay()).isEqualTo(0.999);
        assertThat(t.lrDecayStartEpoch()).isEqualTo(10);
        assertThat(t.noiseStd()).isEqualTo(0.1);
        assertThat(t.lengthBuckets()).isFalse();
        assertThat(t.classWeights()).isEqualTo(TrainingSpec.ClassWeights.NONE);
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(s.split()).isEqualTo(TrainSettings.SplitKind.SPEAKER);
        // The original model saw every 10 ms frame; the default averages them into 40 ms steps.
        assertThat(s.input()).isEqualTo(new InputShape(InputShape.Mode.SEQUENCE, 0.04, 3.0));
        assertThat(s.testFraction()).isEqualTo(0.2);
        assertThat(s.validationFraction()).isEqualTo(0.15);
        assertThat(s.validates()).isTrue();
    }

    @Test
    void validationFractionZeroMeansNoValidationPart() {
        TrainSettings s = TrainSettings.from(defaults("ser.train.validation-fraction = 0"));
        assertThat(s.validationFraction()).isZero();
        assertThat(s.validates()).isFalse();
        assertThat(TrainSettings.from(defaults("ser.train.validation-fraction = 0.01")).validates()).isTrue();
        assertThatThrownBy(() -> TrainSettings.from(defaults("ser.train.validation-fraction = 1.5")))
                .hasMessage("ser.train.validation-fraction: must be 0 (no validation part) or between 0 and 1 (exclusive), got 1.5");
    }

    @Test
    void explicitValues() {
        TrainSettings s = TrainSettings.from(defaults("""
                ser.train { threads = 3, split = random, input = utterance, max-duration-s = 0, frame-step-s = 0.04, backend = dl4j,
                  class-weights = balanced, length-buckets = true, adam.beta2 = 0.98 }
                ser.model.architecture { gru { layers = 2, dropout = [0.1, 0.2], residual = [] }, attention.heads = 0 }
                """));
        assertThat(s.threads()).isEqualTo(3);
        assertThat(s.training().classWeights()).isEqualTo(TrainingSpec.ClassWeights.BALANCED);
        assertThat(s.training().lengthBuckets()).isTrue();
        assertThat(s.optimizer().beta2()).isEqualTo(0.98);
        assertThat(s.modelContext(5, com.typesafe.config.ConfigFactory.empty()).optimizer()).isEqualTo(s.optimizer());
        assertThat(s.split()).isEqualTo(TrainSettings.SplitKind.RANDOM);
        assertThat(s.input().mode()).isEqualTo(InputShape.Mode.UTTERANCE);
        assertThat(s.input().maxDurationSeconds()).isZero();
        assertThat(s.input().frameStepSeconds()).isEqualTo(0.04);
        assertThat(s.backend()).isEqualTo("dl4j");
        assertThat(s.architecture().gruLayers()).isEqualTo(2);
        assertThat(s.architecture().attentionHeads()).isZero();
        assertThat(s.withBackend("djl").backend()).isEqualTo("djl");
        assertThat(s.withMaxEpochs(3).training().maxEpochs()).isEqualTo(3);
    }

    @Test
    void badValuesNameTheirKey() {
        expectKey("ser.train.batch-size = 0", "ser.train.batch-size");
        expectKey("ser.train.learning-rate = -1", "ser.train.learning-rate");
        expectKey("ser.train.lr-decay = 1.5", "ser.train.lr-decay");
        expectKey("ser.train.threads = -2", "ser.train.threads");
        expectKey("ser.train.split = stratified", "ser.train.split");
        expectKey("ser.train.input = frames", "ser.train.input");
        expectKey("ser.train.test-fraction = 1.0", "ser.train.test-fraction");
        expectKey("ser.train.validation-fraction = -0.1", "ser.train.validation-fraction");
        expectKey("ser.train.validation-fraction = 1", "ser.train.validation-fraction");
        expectKey("ser.train.test-fraction = 0", "ser.train.test-fraction");
        expectKey("ser.train.max-duration-s = -1", "ser.train.max-duration-s");
        expectKey("ser.train.frame-step-s = -0.01", "ser.train.frame-step-s");
        expectKey("ser.train.noise-std = -0.1", "ser.train.noise-std");
        expectKey("ser.train.class-weights = inverse", "ser.train.class-weights");
        expectKey("ser.train.adam.beta1 = 1.0", "ser.train.adam");
        expectKey("ser.train.clip-norm = -1", "ser.train.clip-norm");
        expectKey("ser.model.architecture.gru.units = 0", "ser.model.architecture.gru.units");
        expectKey("ser.model.architecture.gru.dropout = [0.1]", "ser.model.architecture.gru.dropout");
        expectKey("ser.model.architecture.gru.dropout = [0.1, 1.0, 0.2]", "ser.model.architecture.gru.dropout");
        expectKey("ser.model.architecture.gru.residual = [1]", "ser.model.architecture.gru.residual");
        expectKey("ser.model.architecture.attention.key-dim = 0", "ser.model.architecture.attention.key-dim");
        expectKey("ser.model.architecture.dense.units = [128, 0]", "ser.model.architecture.dense.units");
        expectKey("ser.model.architecture.dense.l2 = -1", "ser.model.architecture.dense.l2");
        expectKey("ser.model.architecture.dense.dropout = 1", "ser.model.architecture.dense.dropout");
    }

    private static void expectKey(String setting, String key) {
        assertThatThrownBy(() -> TrainSettings.from(defaults(setting))).as(setting).isInstanceOf(UsageException.class)
                .hasMessageStartingWith(key + ":");
    }

    @Test
    void backendSettingsBlockOrEmpty() {
        Config c = defaults("");
        assertThat(TrainSettings.backendSettings(c, "no-such-backend").isEmpty()).isTrue();
    }
}
