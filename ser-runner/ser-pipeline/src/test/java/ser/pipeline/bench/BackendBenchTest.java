package ser.pipeline.bench;

import ser.pipeline.train.CentroidModelProvider;
import ser.pipeline.train.SyntheticFeatures;
import ser.pipeline.train.TestSupport;
import ser.pipeline.train.TrainSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.SequenceModelProvider;
import ser.pipeline.UsageException;

class BackendBenchTest {

    private static final Map<String, SequenceModelProvider> BACKENDS = Map.of("test-centroid", new CentroidModelProvider(),
            "test-other", new CentroidModelProvider.Other());

    private static SequenceModelProvider lookup(String name) {
        SequenceModelProvider p = BACKENDS.get(name);
        if (p == null) {
            throw new UsageException("ser.train.backend: unknown backend '" + name + "'");
        }
        return p;
    }

    @Test
    void sameSplitAndSeedForEveryBackend(@TempDir Path tmp) throws IOException {
        SyntheticFeatures features = SyntheticFeatures.builder().speakers(6).perEmotion(2).build();
        Config config = TestSupport.config();
        TrainSettings settings = TrainSettings.from(config).withMaxEpochs(4);
        StringWriter log = new StringWriter();
        List<BackendBench.Row> rows = BackendBench.run(settings, BackendBenchTest::lookup, config, features,
                List.of("test-centroid", "test-other"), TestSupport.sink(log));
        assertThat(rows).extracting(BackendBench.Row::backend).containsExactly("test-centroid", "test-other");
        for (BackendBench.Row r : rows) {
            assertThat(r.error()).isNull();
            assertThat(r.epochsRun()).isBetween(1, 4);
            assertThat(r.msPerStep()).isPositive();
            assertThat(r.msPerPrediction()).isPositive();
            assertThat(r.testAccuracy()).isBetween(0.0, 1.0);
        }
        // The same model on the same split: identical results.
        assertThat(rows.get(1).testAccuracy()).isEqualTo(rows.get(0).testAccuracy());
        assertThat(rows.get(1).uar()).isEqualTo(rows.get(0).uar());
        StringWriter table = new StringWriter();
        BackendBench.printTable(TestSupport.sink(table), rows);
        assertThat(table.toString()).contains("ms/step").contains("test-other");
        Path csv = tmp.resolve("bench.csv");
        BackendBench.writeCsv(csv, rows, settings);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo(String.join(",", BackendBench.CSV_COLUMNS));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("test-centroid,");
    }

    @Test
    void withoutAValidationPartEveryBackendRunsEveryEpochOnEveryNonTestSpeaker() {
        // Three speakers: too few for a split with validation, enough without.
        SyntheticFeatures features = SyntheticFeatures.builder().speakers(3).perEmotion(2).build();
        Config config = TestSupport.config("ser.train.validation-fraction = 0");
        TrainSettings settings = TrainSettings.from(config).withMaxEpochs(3);
        StringWriter log = new StringWriter();
        List<BackendBench.Row> rows = BackendBench.run(settings, BackendBenchTest::lookup, config, features,
                List.of("test-centroid", "test-other"), TestSupport.sink(log));
        for (BackendBench.Row r : rows) {
            assertThat(r.error()).isNull();
            assertThat(r.epochsRun()).isEqualTo(3);
            assertThat(r.bestEpoch()).isEqualTo(3);
        }
        assertThat(log.toString()).contains("speakers, no validation part, test ").doesNotContain("val_loss");
    }

    @Test
    void unknownBackendFailsBeforeAnyWork() {
        SyntheticFeatures features = SyntheticFeatures.builder().speakers(6).perEmotion(1).build();
        Config config = TestSupport.config();
        StringWriter log = new StringWriter();
        assertThatThrownBy(() -> BackendBench.run(TrainSettings.from(config), BackendBenchTest::lookup, config, features,
                List.of("test-centroid", "nope"), TestSupport.sink(log))).isInstanceOf(UsageException.class);
        assertThat(log.toString()).isEmpty();
    }
}
