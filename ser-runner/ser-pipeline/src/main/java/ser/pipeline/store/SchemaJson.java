package ser.pipeline.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import ser.api.FrameGrid;
import ser.pipeline.BadInputException;

/** JSON form of a {@link FeatureSchema}: pretty for schema.json and bundles, canonical for the hash. */
final class SchemaJson {

    static final String FORMAT = "ser-features";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private SchemaJson() {
    }

    static String write(FeatureSchema schema) {
        return pretty(node(schema));
    }

    static String pretty(JsonNode node) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(printer).writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The schema as a JSON object; the feature store adds its own fields to it. */
    static ObjectNode node(FeatureSchema schema) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FeatureSchema.FORMAT_VERSION);
        root.put("hash", schema.hash());
        root.setAll(content(schema)); // format_version keeps its place; the rest follows in order
        return root;
    }

    /**
     * What the schema says, in the order the hash is computed over: the one place that maps a
     * schema (grid, extractors, columns) to JSON fields, for schema.json and for the hash alike.
     */
    static ObjectNode content(FeatureSchema schema) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format_version", FeatureSchema.FORMAT_VERSION);
        root.put("sample_rate", schema.grid().sampleRate());
        ObjectNode grid = root.putObject("grid");
        grid.put("frame_length", schema.grid().frameLength());
        grid.put("hop_length", schema.grid().hopLength());
        grid.put("centered", schema.grid().centered());
        ArrayNode extractors = root.putArray("extractors");
        for (ExtractorSetting e : schema.extractors()) {
            extractors.addObject().put("name", e.name()).put("settings", e.settings());
        }
        strings(root.putArray("functionals"), schema.functionals());
        strings(root.putArray("frame_columns"), schema.frameColumns());
        strings(root.putArray("utterance_columns"), schema.utteranceColumns());
        if (schema.voiced().enabled()) {
            // only when on: schemas without voiced-only functionals keep the hash they always had
            ObjectNode voiced = root.putObject("voiced");
            voiced.put("voicing_column", schema.voiced().voicingColumn());
            strings(voiced.putArray("columns"), schema.voiced().columns());
            strings(voiced.putArray("semitones"), schema.voiced().semitones());
        }
        return root;
    }

    /**
     * Compact JSON of a node with our own string escaping ({@link #quote}), byte for byte what
     * earlier versions hashed, so stored hashes stay valid whatever Jackson's escaping.
     */
    static String canonical(JsonNode node) {
        StringBuilder b = new StringBuilder(512);
        canonical(b, node);
        return b.toString();
    }

    private static void canonical(StringBuilder b, JsonNode node) {
        if (node.isObject()) {
            b.append('{');
            boolean first = true;
            for (var it = node.fields(); it.hasNext(); ) {
                var field = it.next();
                b.append(first ? "" : ",");
                first = false;
                quote(b, field.getKey());
                b.append(':');
                canonical(b, field.getValue());
            }
            b.append('}');
        } else if (node.isArray()) {
            b.append('[');
            for (int i = 0; i < node.size(); i++) {
                b.append(i == 0 ? "" : ",");
                canonical(b, node.get(i));
            }
            b.append(']');
        } else if (node.isTextual()) {
            quote(b, node.textValue());
        } else {
            b.append(node.toString()); // numbers and booleans
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    static FeatureSchema read(String json, String where) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadInputException(where, "not valid JSON: " + e.getOriginalMessage());
        }
        return read(root, where);
    }

    static FeatureSchema read(JsonNode root, String where) {
        if (root == null || !root.isObject()) {
            throw new BadInputException(where, "not a feature schema (expected a JSON object)");
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new BadInputException(where, "not a feature schema (\"format\" is not \"" + FORMAT + "\")");
        }
        int version = integer(root, "format_version", where);
        if (version != FeatureSchema.FORMAT_VERSION) {
            throw new BadInputException(where, "unsupported feature store format version " + version
                    + " (this ser reads version " + FeatureSchema.FORMAT_VERSION + "; extract the features again)");
        }
        JsonNode gridNode = field(root, "grid", where);
        FrameGrid grid;
        try {
            grid = new FrameGrid(integer(root, "sample_rate", where), integer(gridNode, "frame_length", where),
                    integer(gridNode, "hop_length", where), bool(gridNode, "centered", where));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(where, e.getMessage());
        }
        List<ExtractorSetting> extractors = new ArrayList<>();
        for (JsonNode e : array(root, "extractors", where)) {
            extractors.add(new ExtractorSetting(text(e, "name", where), text(e, "settings", where)));
        }
        VoicedSetting voiced = VoicedSetting.OFF;
        JsonNode voicedNode = root.get("voiced");
        if (voicedNode != null && !voicedNode.isNull()) {
            if (!voicedNode.isObject()) {
                throw new BadInputException(where, "field \"voiced\" must be an object");
            }
            voiced = new VoicedSetting(text(voicedNode, "voicing_column", where), stringList(voicedNode, "columns", where),
                    stringList(voicedNode, "semitones", where));
        }
        FeatureSchema schema = new FeatureSchema(grid, extractors, stringList(root, "frame_columns", where),
                stringList(root, "utterance_columns", where), stringList(root, "functionals", where), voiced,
                text(root, "hash", where));
        String actual = schema.computeHash();
        if (!actual.equals(schema.hash())) {
            throw new BadInputException(where, "schema hash mismatch: the file says " + schema.hash()
                    + " but its content hashes to " + actual + " (was it edited?)");
        }
        return schema;
    }

    private static JsonNode field(JsonNode node, String name, String where) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new BadInputException(where, "missing field \"" + name + "\"");
        }
        return value;
    }

    private static int integer(JsonNode node, String name, String where) {
        JsonNode value = field(node, name, where);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new BadInputException(where, "field \"" + name + "\" must be an integer, got " + value);
        }
        return value.intValue();
    }

    static long longValue(JsonNode node, String name, String where) {
        JsonNode value = field(node, name, where);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new BadInputException(where, "field \"" + name + "\" must be an integer, got " + value);
        }
        return value.longValue();
    }

    private static boolean bool(JsonNode node, String name, String where) {
        JsonNode value = field(node, name, where);
        if (!value.isBoolean()) {
            throw new BadInputException(where, "field \"" + name + "\" must be true or false, got " + value);
        }
        return value.booleanValue();
    }

    static String text(JsonNode node, String name, String where) {
        JsonNode value = field(node, name, where);
        if (!value.isTextual()) {
            throw new BadInputException(where, "field \"" + name + "\" must be a string, got " + value);
        }
        return value.textValue();
    }

    private static JsonNode array(JsonNode node, String name, String where) {
        JsonNode value = field(node, name, where);
        if (!value.isArray()) {
            throw new BadInputException(where, "field \"" + name + "\" must be an array");
        }
        return value;
    }

    private static List<String> stringList(JsonNode node, String name, String where) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : array(node, name, where)) {
            if (!v.isTextual()) {
                throw new BadInputException(where, "field \"" + name + "\" must hold strings, got " + v);
            }
            out.add(v.textValue());
        }
        return out;
    }

    /** Appends {@code s} as a JSON string literal. */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
