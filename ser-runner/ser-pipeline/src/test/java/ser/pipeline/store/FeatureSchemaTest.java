package ser.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import ser.api.FrameGrid;
import ser.pipeline.BadInputException;

class FeatureSchemaTest {

    private static final FrameGrid GRID = new FrameGrid(16000, 512, 160, true);
    private static final List<ExtractorSetting> EXTRACTORS = List.of(new ExtractorSetting("mfcc", "{\"n-mfcc\":20}"),
            new ExtractorSetting("pitch", "{}"));
    private static final List<String> FRAMES = List.of("mfcc_1", "mfcc_2", "pitch_f0");
    private static final List<String> UTTERANCE = List.of("mfcc_1_mean", "mfcc_2_mean", "pitch_f0_mean");
    private static final List<String> FUNCTIONALS = List.of("mean");

    private static FeatureSchema base() {
        return FeatureSchema.of(GRID, EXTRACTORS, FRAMES, UTTERANCE, FUNCTIONALS);
    }

    @Test
    void canonicalJsonIsByteForByteWhatEarlierVersionsHashed() {
        FeatureSchema schema = FeatureSchema.of(new FrameGrid(16000, 512, 160, true),
                List.of(new ExtractorSetting("mfcc", "{\"n\":2,\"q\":\"a\\\"b\u0001\u00e9\"}")), List.of("c0"), List.of("c0_mean"),
                List.of("mean"));
        // The text and hash a build before the schema's JSON mapping was unified produced.
        assertThat(schema.canonicalJson()).isEqualTo("{\"format_version\":" + FeatureSchema.FORMAT_VERSION
                + ",\"sample_rate\":16000,\"grid\":{\"frame_length\":512,\"hop_length\":160,\"centered\":true},"
                + "\"extractors\":[{\"name\":\"mfcc\",\"settings\":\"{\\\"n\\\":2,\\\"q\\\":\\\"a\\\\\\\"b\\u0001\u00e9\\\"}\"}],"
                + "\"functionals\":[\"mean\"],\"frame_columns\":[\"c0\"],\"utterance_columns\":[\"c0_mean\"]}");
        assertThat(FeatureSchema.fromJson(schema.toJson(), "schema.json")).isEqualTo(schema);
    }

    @Test
    void hashIsStable() {
        // Pinned: if this changes, every stored feature folder and model bundle stops matching.
        assertThat(base().hash()).isEqualTo(base().hash()).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(base().canonicalJson()).isEqualTo("{\"format_version\":1,\"sample_rate\":16000,"
                + "\"grid\":{\"frame_length\":512,\"hop_length\":160,\"centered\":true},"
                + "\"extractors\":[{\"name\":\"mfcc\",\"settings\":\"{\\\"n-mfcc\\\":20}\"},{\"name\":\"pitch\",\"settings\":\"{}\"}],"
                + "\"functionals\":[\"mean\"],\"frame_columns\":[\"mfcc_1\",\"mfcc_2\",\"pitch_f0\"],"
                + "\"utterance_columns\":[\"mfcc_1_mean\",\"mfcc_2_mean\",\"pitch_f0_mean\"]}");
        assertThat(base().hash()).isEqualTo(PINNED);
    }

    static final String PINNED = "5e61357cc0c492e98513bc10e0e361c27ea6243bdf8fd8359557ab0dab8fe84f";

    @Test
    void everyPartChangesTheHash() {
        List<FeatureSchema> variants = List.of(base(),
                FeatureSchema.of(new FrameGrid(22050, 512, 160, true), EXTRACTORS, FRAMES, UTTERANCE, FUNCTIONALS),
                FeatureSchema.of(new FrameGrid(16000, 400, 160, true), EXTRACTORS, FRAMES, UTTERANCE, FUNCTIONALS),
                FeatureSchema.of(new FrameGrid(16000, 512, 128, true), EXTRACTORS, FRAMES, UTTERANCE, FUNCTIONALS),
                FeatureSchema.of(new FrameGrid(16000, 512, 160, false), EXTRACTORS, FRAMES, UTTERANCE, FUNCTIONALS),
                FeatureSchema.of(GRID, List.of(new ExtractorSetting("mfcc", "{\"n-mfcc\":13}"), EXTRACTORS.get(1)), FRAMES,
                        UTTERANCE, FUNCTIONALS),
                FeatureSchema.of(GRID, List.of(EXTRACTORS.get(1), EXTRACTORS.get(0)), FRAMES, UTTERANCE, FUNCTIONALS),
                FeatureSchema.of(GRID, List.of(new ExtractorSetting("mfcc2", "{\"n-mfcc\":20}"), EXTRACTORS.get(1)), FRAMES,
                        UTTERANCE, FUNCTIONALS),
                FeatureSchema.of(GRID, EXTRACTORS, List.of("mfcc_1", "mfcc_2", "pitch_f1"), UTTERANCE, FUNCTIONALS),
                FeatureSchema.of(GRID, EXTRACTORS, FRAMES, List.of("mfcc_1_mean", "pitch_f0_mean", "mfcc_2_mean"), FUNCTIONALS),
                FeatureSchema.of(GRID, EXTRACTORS, FRAMES, UTTERANCE, List.of("median")));
        Set<String> hashes = new HashSet<>();
        variants.forEach(s -> hashes.add(s.hash()));
        assertThat(hashes).hasSize(variants.size());
    }

    @Test
    void jsonRoundTripKeepsTheHash() {
        FeatureSchema s = base();
        FeatureSchema back = FeatureSchema.fromJson(s.toJson(), "schema.json");
        assertThat(back).isEqualTo(s);
        assertThat(s.toJson()).contains("\"hash\" : \"" + s.hash() + "\"");
    }

    @Test
    void editedJsonIsRefusedNamingBothHashes() {
        FeatureSchema s = base();
        String edited = s.toJson().replace("pitch_f0_mean", "pitch_f0_avg");
        String actual = FeatureSchema.of(GRID, EXTRACTORS, FRAMES, List.of("mfcc_1_mean", "mfcc_2_mean", "pitch_f0_avg"),
                FUNCTIONALS).hash();
        assertThatThrownBy(() -> FeatureSchema.fromJson(edited, "bundle/schema.json"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("bundle/schema.json: schema hash mismatch")
                .hasMessageContaining(s.hash())
                .hasMessageContaining(actual);
    }

    @Test
    void otherFormatVersionsAreRefused() {
        String v2 = base().toJson().replace("\"format_version\" : 1", "\"format_version\" : 2");
        assertThatThrownBy(() -> FeatureSchema.fromJson(v2, "schema.json"))
                .hasMessageContaining("unsupported feature store format version 2");
        assertThatThrownBy(() -> FeatureSchema.fromJson("{\"a\":1}", "x.json")).hasMessageContaining("not a feature schema");
        assertThatThrownBy(() -> FeatureSchema.fromJson("{", "x.json")).hasMessageContaining("not valid JSON");
    }

    @Test
    void voicedFunctionalsEnterTheHashOnlyWhenOn() {
        List<String> utterance = List.of("mfcc_1_mean", "mfcc_2_mean", "pitch_f0_mean", "voiced_pitch_f0_mean",
                "voiced_fraction");
        VoicedSetting voiced = new VoicedSetting("pitch_voiced", List.of("pitch_f0"), List.of());
        FeatureSchema on = FeatureSchema.of(GRID, EXTRACTORS, FRAMES, utterance, FUNCTIONALS, voiced);
        assertThat(on.canonicalJson()).endsWith(",\"voiced\":{\"voicing_column\":\"pitch_voiced\",\"columns\":[\"pitch_f0\"],"
                + "\"semitones\":[]}}");
        assertThat(FeatureSchema.fromJson(on.toJson(), "schema.json")).isEqualTo(on);
        FeatureSchema semitones = FeatureSchema.of(GRID, EXTRACTORS, FRAMES, utterance, FUNCTIONALS,
                new VoicedSetting("pitch_voiced", List.of(), List.of("pitch_f0")));
        FeatureSchema voicing = FeatureSchema.of(GRID, EXTRACTORS, FRAMES, utterance, FUNCTIONALS,
                new VoicedSetting("pitch_voicing", List.of("pitch_f0"), List.of()));
        assertThat(Set.of(on.hash(), semitones.hash(), voicing.hash(),
                FeatureSchema.of(GRID, EXTRACTORS, FRAMES, utterance, FUNCTIONALS).hash())).hasSize(4);
        // off (whatever the voicing column) is the schema of before: the pinned hash
        assertThat(FeatureSchema.of(GRID, EXTRACTORS, FRAMES, UTTERANCE, FUNCTIONALS,
                new VoicedSetting("pitch_voiced", List.of(), List.of())).hash()).isEqualTo(PINNED);
        // a stored schema whose voiced settings were edited no longer matches its hash
        String edited = on.toJson().replace("\"pitch_voiced\"", "\"pitch_voicing\"");
        assertThatThrownBy(() -> FeatureSchema.fromJson(edited, "schema.json"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("schema hash mismatch");
    }
}
