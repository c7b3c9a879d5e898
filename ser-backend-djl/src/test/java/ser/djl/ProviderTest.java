package ser.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;

import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import ser.api.SequenceModelProvider;

class ProviderTest {

    @Test
    void registeredUnderItsName() {
        assertThat(ServiceLoader.load(SequenceModelProvider.class).stream().map(p -> p.get().name()))
                .contains("djl");
    }

    @Test
    void settingsComeFromReferenceConfAndOverrides() {
        DjlSettings defaults = DjlSettings.from(ConfigFactory.empty());
        assertThat(defaults).isEqualTo(new DjlSettings("PyTorch", 0, 0, 32));
        DjlSettings overridden = DjlSettings.from(ConfigFactory.parseString("intra-op-threads = 1, predict-batch-size = 7"));
        assertThat(overridden.intraOpThreads()).isEqualTo(1);
        assertThat(overridden.predictBatchSize()).isEqualTo(7);
        DjlSettings nested = DjlSettings.from(ConfigFactory.parseString("ser.backends.djl.predict-batch-size = 5"));
        assertThat(nested.predictBatchSize()).isEqualTo(5);
        assertThatThrownBy(() -> DjlSettings.from(ConfigFactory.parseString("engine = MXNet")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PyTorch");
    }
}
