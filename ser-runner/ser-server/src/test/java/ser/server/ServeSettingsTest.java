package ser.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import ser.pipeline.UsageException;

class ServeSettingsTest {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static ServeSettings of(String serve) {
        return ServeSettings.from(TestModel.config("ser.serve { " + serve + " }"));
    }

    @Test
    void modelThreadsShareTheCoresAmongTheInstancesByDefault() {
        assertThat(of("pool-size = 1").modelThreads()).isEqualTo(CORES);
        assertThat(of("pool-size = 0").poolSize()).isEqualTo(CORES);
        assertThat(of("pool-size = 0").modelThreads()).isEqualTo(1);
        assertThat(of("pool-size = " + (2 * CORES)).modelThreads()).isEqualTo(1);
        assertThat(of("pool-size = 2, model-threads = 3").modelThreads()).isEqualTo(3);
    }

    @Test
    void maxBatchFollowsTheInferenceByDefaultAndMustNotBeNegative() {
        assertThat(of("").maxBatch()).as("java inference: a call costs per sequence").isEqualTo(1);
        assertThat(ServeSettings.from(TestModel.config("ser.inference = backend")).maxBatch()).as("a backend predicts").isEqualTo(8);
        assertThat(of("max-batch = 3").maxBatch()).isEqualTo(3);
        assertThatThrownBy(() -> of("max-batch = -1")).isInstanceOf(UsageException.class).hasMessageContaining("ser.serve.max-batch");
        assertThatThrownBy(() -> ServeSettings.from(TestModel.config("ser.inference = fast"))).isInstanceOf(UsageException.class)
                .hasMessage("ser.inference: must be java or backend, got 'fast'");
    }

    @Test
    void negativeModelThreadsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> of("model-threads = -1")).isInstanceOf(UsageException.class)
                .hasMessageContaining("ser.serve.model-threads");
    }
}
