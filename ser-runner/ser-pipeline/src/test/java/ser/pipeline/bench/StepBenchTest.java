package ser.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;
import ser.pipeline.train.CentroidModelProvider;
import ser.pipeline.train.TestSupport;
import ser.pipeline.train.TrainSettings;

class StepBenchTest {

    @Test
    void timesTheDefaultArchitectureRawAndAtTheDefaultRateAndTheConfiguredOneAtItsRate() {
        // 20 ms steps (2 frames of 10 ms averaged), capped at 0.32 s = 16 steps.
        Config config = TestSupport.config("ser.train { frame-step-s = 0.02, max-duration-s = 0.32 }");
        List<StepBench.Case> cases = StepBench.cases(config);
        assertThat(cases).extracting(StepBench.Case::architecture).containsExactly("default", "default", "configured");
        assertThat(cases.get(0).steps()).isEqualTo(300);
        assertThat(cases.get(0).input()).startsWith("raw: one step per 10 ms frame");
        double defaultStep = StepBench.reference().getDouble("ser.train.frame-step-s");
        int k = defaultStep == 0 ? 1 : (int) Math.round(defaultStep / 0.01);
        assertThat(cases.get(1).steps()).isEqualTo((300 + k - 1) / k);
        assertThat(cases.get(1).input()).startsWith("default rate: ");
        assertThat(cases.get(2).steps()).isEqualTo(16);
        assertThat(cases.get(2).input()).isEqualTo("configured rate: 20 ms steps, 2 frames averaged");
        assertThat(cases.get(2).spec()).isEqualTo(TrainSettings.architecture(config));
        assertThat(cases.get(0).spec()).isEqualTo(StepBench.defaultArchitecture());

        List<StepBench.Row> rows = StepBench.run(TrainSettings.from(config), name -> new CentroidModelProvider(), config,
                List.of("test-centroid"), cases, 1);
        assertThat(rows).extracting(StepBench.Row::steps).containsExactly(300, cases.get(1).steps(), 16);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.error()).isNull();
            assertThat(r.msPerStep()).isPositive();
        });
        String table = StepBench.table(rows, 1);
        assertThat(table).contains("batch x grid frames x features").contains("steps").contains("CPU ms/step");
        assertThat(table.lines().filter(l -> l.startsWith("test-centroid default ") && l.contains("raw: one step per 10 ms frame")
                && l.contains(" 300 "))).hasSize(1);
        assertThat(table.lines().filter(l -> l.startsWith("test-centroid configured ") && l.contains("20 ms steps"))).hasSize(1);
    }

    @Test
    void utteranceInputIsOneStep() {
        Config config = TestSupport.config("ser.train.input = utterance");
        assertThat(StepBench.cases(config).get(2).steps()).isEqualTo(1);
        assertThat(StepBench.cases(config).get(2).input()).isEqualTo("configured rate: utterance vector, one step");
    }
}
