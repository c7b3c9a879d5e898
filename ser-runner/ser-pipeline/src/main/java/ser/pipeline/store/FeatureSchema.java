package ser.pipeline.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import ser.api.FrameGrid;

/**
 * What a feature set's columns mean and how they were made: enough to recompute them for a new
 * file, and a hash that changes whenever any of it changes. A model bundle stores the schema it
 * was trained on; features or audio with another hash are refused, naming both hashes.
 *
 * <p>The hash is the SHA-256 of {@link #canonicalJson()}: the store format version
 * ({@link #FORMAT_VERSION}), sample rate, grid, extractor names and settings (concise JSON with
 * sorted keys), functionals, frame and utterance column names and, when on, the voiced-only
 * functionals' settings, in a fixed key order (a schema without voiced-only functionals hashes as
 * before they existed). Use
 * {@link #of} to build a schema with its hash, {@link #toJson()} / {@link #fromJson} to store it.
 *
 * @param grid             the frame grid (its sample rate is the decoding rate)
 * @param extractors       extractors in column order, with their settings
 * @param frameColumns     columns of each sequence frame: {@code <extractor>_<feature>}
 * @param utteranceColumns columns of nppdp.csv, without {@code emotion_label}
 * @param functionals      functionals of the frame columns in nppdp.csv
 * @param voiced           voiced-only functionals ({@link VoicedSetting#OFF} when none)
 * @param hash             SHA-256 (hex) over all of the above
 */
public record FeatureSchema(
        FrameGrid grid,
        List<ExtractorSetting> extractors,
        List<String> frameColumns,
        List<String> utteranceColumns,
        List<String> functionals,
        VoicedSetting voiced,
        String hash) {

    /** Version of the feature store format (see ser-runner/STORE.md); part of the hash. */
    public static final int FORMAT_VERSION = 1;

    public FeatureSchema {
        extractors = List.copyOf(extractors);
        frameColumns = List.copyOf(frameColumns);
        utteranceColumns = List.copyOf(utteranceColumns);
        functionals = List.copyOf(functionals);
        voiced = voiced == null || !voiced.enabled() ? VoicedSetting.OFF : voiced;
    }

    /** A schema without voiced-only functionals, with its hash computed. */
    public static FeatureSchema of(FrameGrid grid, List<ExtractorSetting> extractors, List<String> frameColumns,
            List<String> utteranceColumns, List<String> functionals) {
        return of(grid, extractors, frameColumns, utteranceColumns, functionals, VoicedSetting.OFF);
    }

    /** A schema with its hash computed. */
    public static FeatureSchema of(FrameGrid grid, List<ExtractorSetting> extractors, List<String> frameColumns,
            List<String> utteranceColumns, List<String> functionals, VoicedSetting voiced) {
        FeatureSchema draft = new FeatureSchema(grid, extractors, frameColumns, utteranceColumns, functionals, voiced, "");
        return new FeatureSchema(grid, extractors, frameColumns, utteranceColumns, functionals, voiced,
                draft.computeHash());
    }

    /** The hash of this schema's content, which equals {@link #hash()} unless the record was tampered with. */
    public String computeHash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalJson().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The first 12 hex digits of the hash, for messages. */
    public String shortHash() {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    /** The exact text the hash is computed over: compact JSON, keys in a fixed order. */
    public String canonicalJson() {
        return SchemaJson.canonical(SchemaJson.content(this));
    }

    /** Pretty JSON of this schema (with its hash), as schema.json and model bundles store it. */
    public String toJson() {
        return SchemaJson.write(this);
    }

    /**
     * Reads {@link #toJson()}'s output and checks that the stored hash matches the content.
     *
     * @param where file name for messages
     * @throws ser.pipeline.BadInputException on malformed JSON, an unsupported format version or a
     *                                      hash that does not match the content (naming both)
     */
    public static FeatureSchema fromJson(String json, String where) {
        return SchemaJson.read(json, where);
    }
}
