package ser.pipeline.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.extract.Extraction;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.report.Json;
import ser.pipeline.report.Predictions;
import ser.pipeline.train.CentroidModelProvider;
import ser.pipeline.train.InputShape;
import ser.pipeline.train.SyntheticFeatures;
import ser.pipeline.train.TestSupport;
import ser.pipeline.train.TrainJob;
import ser.pipeline.train.Trainer;

/** A model trained on 40 ms steps: the bundle keeps the step, and predict pools as training did. */
class PooledInputTest {

    @TempDir
    Path dir;

    @Test
    void theStepTravelsInTheBundleAndPredictionsMatchTheStorePath() throws Exception {
        SyntheticFeatures features = SyntheticFeatures.builder().speakers(6).perEmotion(2).build();
        Path model = dir.resolve("model");
        TrainJob.run(TestSupport.trainer(TestSupport.config("ser.train { epochs = 3, frame-step-s = 0.04, max-duration-s = 0.2, normalization = off }"),
                TestSupport.sink(new StringWriter())), features, model, TestSupport.sink(new StringWriter()));
        try (ModelBundle bundle = ModelBundle.open(model, new CentroidModelProvider(), TestSupport.config())) {
            assertThat(bundle.input()).isEqualTo(new InputShape(InputShape.Mode.SEQUENCE, 0.04, 0.2));
            for (int i = 0; i < features.utterances().size(); i++) {
                int frames = features.sequence(i).length;
                assertThat(bundle.input().of(features, i)).hasNumberOfRows(Math.min(5, (frames + 3) / 4));
            }
            Predictor predictor = new Predictor(bundle, location -> {
                int i = Integer.parseInt(location.substring(4));
                return new Extraction(features.sequence(i), features.utteranceVector(i));
            });
            int[] some = {0, 7, 13};
            Predictions reference = Trainer.predict(bundle, features, some);
            for (int j = 0; j < some.length; j++) {
                float[] p = predictor.predict("utt/" + some[j]);
                float[] expected = reference.rows().get(j).probabilities();
                for (int c = 0; c < p.length; c++) {
                    assertThat((double) p[c]).isCloseTo(expected[c], within(1e-6));
                }
            }
        }
    }

    @Test
    void bundlesWrittenWithAFrameCapReadAsSeconds() throws Exception {
        SyntheticFeatures features = SyntheticFeatures.builder().speakers(6).perEmotion(2).build();
        Path model = dir.resolve("model");
        TrainJob.run(TestSupport.trainer(TestSupport.config("ser.train.epochs = 2"), TestSupport.sink(new StringWriter())),
                features, model, TestSupport.sink(new StringWriter()));
        Path json = model.resolve(ModelBundle.BUNDLE_JSON);
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(Files.readAllBytes(json));
        ObjectNode input = (ObjectNode) root.get("input");
        input.remove(java.util.List.of("frame_step_s", "max_duration_s", "pool_frames", "pooling", "max_steps"));
        input.put("max_frames", 25);
        Files.write(json, Json.MAPPER.writeValueAsBytes(root));
        InputShape shape = ModelBundle.readInfo(model).input();
        assertThat(shape.frameStepSeconds()).isZero();
        assertThat(shape.maxDurationSeconds()).isCloseTo(0.25, within(1e-12));
        assertThat(shape.maxSteps(features.schema().grid())).isEqualTo(25);
    }
}
