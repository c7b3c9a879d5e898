package ser.pipeline.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.AudioClip;
import ser.api.Emotion;
import ser.pipeline.extract.ExtractRun;
import ser.pipeline.extract.Extraction;
import ser.pipeline.extract.FeaturePipeline;
import ser.pipeline.extract.Fixtures;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.store.FeatureStore;
import ser.pipeline.train.InputShape;
import ser.pipeline.train.TestSupport;
import ser.pipeline.train.TrainJob;

/**
 * Prediction with a sequence bundle extracts frames only ({@link InputShape#features}), and gives
 * the probabilities of the full extraction; an utterance bundle still extracts everything. Tiny
 * real models: tones by emotion, real extractors (ht-apen and pitch skip their utterance values,
 * energy uses the default), the test-centroid backend, speaker normalization.
 */
class FramesOnlyPredictTest {

    private static final String EXTRACTORS = "ser.extract.extractors = [ht-apen, pitch, energy]\n";

    @TempDir
    static Path shared;

    static final Map<String, AudioClip> CLIPS = new HashMap<>();
    static ModelBundle sequence;
    static ModelBundle utterance;
    static FeaturePipeline pipeline;

    /** A tone whose pitch and loudness depend on the emotion, noise by seed. */
    static AudioClip tone(int emotion, double seconds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = (int) Math.round(seconds * Fixtures.RATE);
        float[] x = new float[n];
        double f = 140 + 30 * emotion;
        double amp = 0.05 + 0.05 * emotion;
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amp * Math.sin(2 * Math.PI * f * i / Fixtures.RATE) + 0.02 * (random.nextDouble() * 2 - 1));
        }
        return new AudioClip(x, Fixtures.RATE);
    }

    @BeforeAll
    static void train() {
        List<ManifestRow> rows = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            for (Emotion e : Emotion.values()) {
                for (int r = 0; r < 2; r++) {
                    String location = "spk" + s + "/" + e.id() + "_" + r;
                    CLIPS.put(location, tone(e.index(), 0.6, 100L * s + 10L * e.index() + r));
                    rows.add(new ManifestRow("t/" + location, location, "t", "spk" + s, Optional.empty(), e.id(), e, 0.6,
                            Fixtures.RATE));
                }
            }
        }
        Path features = shared.resolve("features");
        pipeline = FeaturePipeline.fromConfig(Fixtures.config(EXTRACTORS), Fixtures.plugins());
        new ExtractRun(pipeline, CLIPS::get, 1).run(rows, features, new Fixtures.Capture().progress);
        sequence = trainInto("sequence", features, "ser.train.input = sequence");
        utterance = trainInto("utterance", features, "ser.train.input = utterance");
        assertThat(sequence.input().mode()).isEqualTo(InputShape.Mode.SEQUENCE);
        assertThat(utterance.input().mode()).isEqualTo(InputShape.Mode.UTTERANCE);
    }

    private static ModelBundle trainInto(String name, Path features, String settings) {
        Path model = shared.resolve(name);
        PrintWriter sink = TestSupport.sink(new StringWriter());
        TrainJob.run(TestSupport.trainer(TestSupport.config("ser.train.epochs = 6\n" + settings), sink), FeatureStore.open(features),
                model, sink);
        return ModelBundle.open(model, Fixtures.plugins(), TestSupport.config());
    }

    @AfterAll
    static void close() {
        sequence.close();
        utterance.close();
    }

    private static List<AudioClip> unseen() {
        List<AudioClip> clips = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clips.add(tone(i, 0.5 + 0.1 * i, 9000 + i));
        }
        return clips;
    }

    @Test
    void aSequenceBundleExtractsFramesOnly() {
        AudioClip clip = unseen().get(0);
        Extraction x = sequence.input().features(pipeline, clip, "a.wav");
        assertThat(x.hasUtteranceVector()).isFalse();
        assertThat(x.frames()).isDeepEqualTo(pipeline.extract(clip, "a.wav").frames());
        AudioFeaturizer featurizer = AudioFeaturizer.forBundle(sequence, Fixtures.plugins(), TestSupport.config());
        assertThat(featurizer.features(clip, "a.wav").hasUtteranceVector()).isFalse();
    }

    @Test
    void anUtteranceBundleStillExtractsEverything() {
        AudioClip clip = unseen().get(1);
        Extraction x = utterance.input().features(pipeline, clip, "a.wav");
        assertThat(x.utteranceVector()).containsExactly(pipeline.extract(clip, "a.wav").utteranceVector());
        AudioFeaturizer featurizer = AudioFeaturizer.forBundle(utterance, Fixtures.plugins(), TestSupport.config());
        assertThat(featurizer.features(clip, "a.wav").hasUtteranceVector()).isTrue();
    }

    /** BundleScorer (the server's and the segmenter's path) against the full extraction through ser predict's scoring. */
    @Test
    void scorerProbabilitiesAreThoseOfTheFullExtraction() {
        for (ModelBundle bundle : List.of(sequence, utterance)) {
            BundleScorer scorer = new BundleScorer(bundle, BundleScorer.pipelineFor(bundle, Fixtures.plugins(),
                    FeaturePipeline.DEFAULT_MIN_DURATION_S));
            Predictor reference = new Predictor(bundle, location -> {
                throw new AssertionError("not used");
            });
            for (AudioClip clip : unseen()) {
                float[] expected = reference.predict(pipeline.extract(clip, "u.wav"), "u.wav");
                float[] actual = scorer.probabilities(clip, "u.wav");
                assertProbabilities(actual, expected, bundle.input().mode().id());
            }
        }
    }

    /**
     * ser predict with speakers: the speaker's normalization statistics of a sequence bundle are
     * over frames, so frames-only extractions give the same statistics and probabilities.
     */
    @Test
    void predictorWithSpeakerStatisticsGivesTheFullExtractionsProbabilities() {
        List<String> files = new ArrayList<>();
        Map<String, AudioClip> clips = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String file = "new/" + i + ".wav";
            files.add(file);
            clips.put(file, tone(i % Emotion.COUNT, 0.5 + 0.05 * i, 7000 + i));
        }
        Predictor full = new Predictor(sequence, location -> pipeline.extract(clips.get(location), location), 10);
        Predictor framesOnly = new Predictor(sequence, location -> sequence.input().features(pipeline, clips.get(location), location), 10);
        PredictorTest.Collected expected = new PredictorTest.Collected();
        PredictorTest.Collected actual = new PredictorTest.Collected();
        assertThat(full.run(files, SpeakerSource.named("newcomer"), expected)).isEqualTo(new Predictor.Summary(12, 0));
        assertThat(framesOnly.run(files, SpeakerSource.named("newcomer"), actual)).isEqualTo(new Predictor.Summary(12, 0));
        assertThat(actual.warnings).isEmpty(); // the speaker's own statistics, not the fallback
        for (int i = 0; i < files.size(); i++) {
            assertThat(actual.predictions.get(i).file()).isEqualTo(files.get(i));
            assertProbabilities(actual.predictions.get(i).probabilities(), expected.predictions.get(i).probabilities(), files.get(i));
        }
    }

    private static void assertProbabilities(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSize(Emotion.COUNT);
        double max = 0;
        double min = 1;
        for (int c = 0; c < expected.length; c++) {
            assertThat((double) actual[c]).as("%s class %d", what, c).isCloseTo(expected[c], within(1e-6));
            max = Math.max(max, expected[c]);
            min = Math.min(min, expected[c]);
        }
        // The model's output depends on its input (a uniform one would make the comparison empty).
        assertThat(max - min).as("%s: spread of the probabilities", what).isGreaterThan(0.01);
    }
}
