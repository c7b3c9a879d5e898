package ser.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import com.typesafe.config.Config;
import ser.api.AudioClip;
import ser.api.Emotion;
import ser.pipeline.audio.TestWav;
import ser.pipeline.extract.ExtractRun;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.extract.Fixtures;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.predict.BundleScorer;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.store.FeatureStore;
import ser.pipeline.train.TestSupport;
import ser.pipeline.train.TrainJob;

/**
 * A tiny real model for the server tests: tones whose pitch and loudness depend on the emotion,
 * the pipeline's test extractors (test-level, test-zcr), the test-centroid backend; the real
 * extract, train and bundle code. Trains in well under a second.
 */
final class TestModel {

    static final int RATE = Fixtures.RATE;

    private TestModel() {
    }

    /** A tone of {@code seconds}: frequency and amplitude set by {@code emotion}, noise by {@code seed}. */
    static float[] tone(int emotion, double seconds, int rate, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = (int) Math.round(seconds * rate);
        float[] x = new float[n];
        double f = 180 + 140 * emotion;
        double amp = 0.05 + 0.1 * emotion;
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amp * Math.sin(2 * Math.PI * f * i / rate) + 0.01 * (random.nextDouble() * 2 - 1));
        }
        return x;
    }

    /** 16-bit PCM WAV bytes of {@code x}. */
    static byte[] wav(float[] x, int rate) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return TestWav.pcm(16, rate, d).bytes();
    }

    static Config config(String hocon) {
        return Fixtures.config(hocon);
    }

    /** Extracts and trains into {@code dir}/model; returns the model folder. */
    static Path train(Path dir) {
        List<ManifestRow> rows = new ArrayList<>();
        Map<String, AudioClip> clips = new HashMap<>();
        for (int s = 0; s < 6; s++) {
            for (Emotion e : Emotion.values()) {
                for (int r = 0; r < 2; r++) {
                    String location = "spk" + s + "/" + e.id() + "_" + r;
                    clips.put(location, new AudioClip(tone(e.index(), 0.8, RATE, 100L * s + 10L * e.index() + r), RATE));
                    rows.add(new ManifestRow("t/" + location, location, "t", "spk" + s, Optional.empty(), e.id(), e, 0.8, RATE));
                }
            }
        }
        Path features = dir.resolve("features");
        FeaturePipeline pipeline = FeaturePipeline.fromConfig(config(""), Fixtures.plugins());
        new ExtractRun(pipeline, clips::get, 1).run(rows, features, new Fixtures.Capture().progress);
        Path model = dir.resolve("model");
        PrintWriter sink = TestSupport.sink(new StringWriter());
        TrainJob.run(TestSupport.trainer(TestSupport.config("ser.train.epochs = 12"), sink), FeatureStore.open(features), model, sink);
        return model;
    }

    /** A scorer on its own copy of the model, for single-threaded reference predictions. */
    static BundleScorer reference(Path model) {
        ModelBundle bundle = ModelBundle.open(model, Fixtures.plugins(), config(""));
        return new BundleScorer(bundle, BundleScorer.pipelineFor(bundle, Fixtures.plugins(), FeaturePipeline.DEFAULT_MIN_DURATION_S));
    }
}
