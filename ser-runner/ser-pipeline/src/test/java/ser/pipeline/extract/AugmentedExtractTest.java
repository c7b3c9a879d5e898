package ser.pipeline.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.BadInputException;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.FeatureStore;
import ser.pipeline.store.UtteranceInfo;

class AugmentedExtractTest {

    private static final AudioAugmentSettings AUGMENT = new AudioAugmentSettings(2, List.of(0.9, 1.0, 1.1),
            AudioAugmentSettings.Noise.PINK, 10, 30, 5);

    @TempDir
    Path tmp;

    @AfterEach
    void reset() {
        TestExtractors.reset();
    }

    private static ExtractRun.Summary extract(List<ManifestRow> rows, Path out, int threads, AudioAugmentSettings augment) {
        return new ExtractRun(Fixtures.pipeline(), Fixtures::clip, threads, augment).run(rows, out, new Fixtures.Capture().progress);
    }

    @Test
    void copiesAreExtraUtterancesLinkedToTheirOriginal() throws IOException {
        List<ManifestRow> rows = Fixtures.goodRows(5);
        Path out = tmp.resolve("aug");
        ExtractRun.Summary summary = extract(rows, out, 2, AUGMENT);
        assertThat(summary.done()).isEqualTo(5);
        assertThat(summary.augmented()).isEqualTo(10);
        assertThat(summary.describe(out)).contains("and 10 augmented copies");

        FeatureSet set = FeatureStore.open(out);
        List<UtteranceInfo> u = set.utterances();
        assertThat(u).hasSize(15);
        // The originals first, in manifest order, then the copies.
        for (int i = 0; i < 5; i++) {
            assertThat(u.get(i).id()).isEqualTo(rows.get(i).id());
            assertThat(u.get(i).isAugmented()).isFalse();
            for (int c = 1; c <= 2; c++) {
                UtteranceInfo copy = u.get(5 + 2 * i + c - 1);
                assertThat(copy.id()).isEqualTo(rows.get(i).id() + "~aug" + c);
                assertThat(copy.augmentedFrom()).isEqualTo(rows.get(i).id());
                assertThat(copy.speakerKey()).isEqualTo(u.get(i).speakerKey());
                assertThat(copy.emotion()).isEqualTo(u.get(i).emotion());
                assertThat(copy.gender()).isEqualTo(u.get(i).gender());
                // The stored features are those of the augmented audio.
                AudioAugmenter.Copy audio = new AudioAugmenter(AUGMENT).copy(Fixtures.clip(rows.get(i).location()), rows.get(i).id(), c);
                Extraction x = Fixtures.pipeline().extract(audio.clip(), rows.get(i).location());
                assertThat(set.utteranceVector(5 + 2 * i + c - 1)).isEqualTo(x.utteranceVector());
                assertThat(set.sequence(5 + 2 * i + c - 1)).isEqualTo(x.frames());
            }
        }
        // nppdp.csv holds the originals only, byte for byte as without augmentation.
        Path plain = tmp.resolve("plain");
        Fixtures.extract(rows, plain, 2);
        assertThat(Files.readString(out.resolve(FeatureStore.NPPDP))).isEqualTo(Files.readString(plain.resolve(FeatureStore.NPPDP)));
        assertThat(Files.readAllLines(out.resolve(FeatureStore.NPPDP_AUGMENTED))).hasSize(11);
        assertThat(Files.readAllLines(out.resolve(FeatureStore.INDEX)).get(0)).endsWith(",augmented_from");
        JsonNode schema = new ObjectMapper().readTree(out.resolve(FeatureStore.SCHEMA).toFile());
        assertThat(schema.at("/store/augment/copies").asInt()).isEqualTo(2);
        assertThat(schema.at("/store/augment/noise").asText()).isEqualTo("pink");
        assertThat(schema.at("/store/augment/seed").asLong()).isEqualTo(5);
        assertThat(schema.at("/store/augmented_utterances").asInt()).isEqualTo(10);
        // The columns mean the same: a model trained on either accepts the other's features.
        assertThat(set.schema().hash()).isEqualTo(FeatureStore.open(plain).schema().hash());
    }

    @Test
    void copiesAreBitIdenticalAcrossRunsAndThreadCounts() throws IOException {
        List<ManifestRow> rows = Fixtures.goodRows(7);
        extract(rows, tmp.resolve("one"), 1, AUGMENT);
        extract(rows, tmp.resolve("four"), 4, AUGMENT);
        extract(rows, tmp.resolve("again"), 4, AUGMENT);
        TreeMap<String, byte[]> one = Fixtures.files(tmp.resolve("one"));
        assertThat(one).containsKey(FeatureStore.NPPDP_AUGMENTED);
        assertThat(Fixtures.files(tmp.resolve("four"))).containsExactlyEntriesOf(one);
        assertThat(Fixtures.files(tmp.resolve("again"))).containsExactlyEntriesOf(one);
    }

    @Test
    void storeWithoutAugmentationIsWrittenAndReadAsBefore() throws IOException {
        Path out = tmp.resolve("plain");
        extract(Fixtures.goodRows(4), out, 2, AudioAugmentSettings.OFF);
        assertThat(out.resolve(FeatureStore.NPPDP_AUGMENTED)).doesNotExist();
        assertThat(Files.readAllLines(out.resolve(FeatureStore.INDEX)).get(0))
                .isEqualTo(String.join(",", FeatureStore.INDEX_COLUMNS));
        assertThat(Files.readString(out.resolve(FeatureStore.SCHEMA))).doesNotContain("augment");
        FeatureSet set = FeatureStore.open(out);
        assertThat(set.utterances()).hasSize(4).noneMatch(UtteranceInfo::isAugmented);
    }

    @Test
    void storeMissingItsAugmentedVectorsIsRefusedNamingTheFile() throws IOException {
        Path out = tmp.resolve("aug");
        extract(Fixtures.goodRows(3), out, 1, AUGMENT);
        Files.delete(out.resolve(FeatureStore.NPPDP_AUGMENTED));
        assertThatThrownBy(() -> FeatureStore.open(out)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(FeatureStore.NPPDP_AUGMENTED).hasMessageContaining("missing");
    }

    @Test
    void resumedRunWithOtherAugmentationStartsOver() throws IOException {
        List<ManifestRow> rows = Fixtures.goodRows(6);
        Path expected = tmp.resolve("expected");
        extract(rows, expected, 1, AUGMENT);
        // An interrupted run with other settings leaves its journal; the next run must not reuse its copies.
        Path out = tmp.resolve("out");
        AudioAugmentSettings other = new AudioAugmentSettings(2, List.of(1.1), AudioAugmentSettings.Noise.WHITE, 0, 5, 9);
        Fixtures.Capture capture = new Fixtures.Capture();
        try (Journal journal = Journal.open(out, Fixtures.pipeline().schema(), other.describe().toString(), OutputFilter.NONE,
                m -> { })) {
            // Row 0 and both its copies, as the other settings made them: complete, so resumable if the journal were kept.
            ManifestRow r = rows.get(0);
            List<Journal.Done> done = new java.util.ArrayList<>();
            done.add(new Journal.Done(r.id(), r.location(), Fixtures.pipeline().extract(Fixtures.clip(r.location()))));
            for (int c = 1; c <= 2; c++) {
                done.add(new Journal.Done(AudioAugmenter.copyId(r.id(), c), r.location(), Fixtures.pipeline().extract(
                        new AudioAugmenter(other).copy(Fixtures.clip(r.location()), r.id(), c).clip())));
            }
            journal.commit(done);
        }
        new ExtractRun(Fixtures.pipeline(), Fixtures::clip, 1, AUGMENT).run(rows, out, capture.progress);
        assertThat(capture.toString()).contains("other ser.extract.augment settings");
        assertThat(Fixtures.files(out)).containsExactlyEntriesOf(Fixtures.files(expected));
    }
}
