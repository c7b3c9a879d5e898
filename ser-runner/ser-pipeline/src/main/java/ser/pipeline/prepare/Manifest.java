package ser.pipeline.prepare;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import ser.api.Emotion;
import ser.pipeline.BadInputException;
import ser.pipeline.util.AtomicFiles;

/** Reads and writes {@code manifest.csv}. */
public final class Manifest {

    public static final List<String> COLUMNS = List.of("id", "path", "corpus", "speaker", "gender", "source_label",
            "emotion", "emotion_label", "duration_s", "sample_rate");

    private Manifest() {
    }

    /** Writes atomically: a temporary file renamed into place once complete. */
    public static void write(Path file, List<ManifestRow> rows) throws IOException {
        AtomicFiles.write(file, out -> {
            try (CSVPrinter csv = new CSVPrinter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8),
                    CSVFormat.DEFAULT.builder().setHeader(COLUMNS.toArray(String[]::new)).build())) {
                for (ManifestRow row : rows) {
                    csv.printRecord(row.id(), row.location(), row.corpus(), row.speaker(), row.gender().orElse(""),
                            row.sourceLabel(), row.emotion().id(), row.emotion().label(),
                            String.format(java.util.Locale.ROOT, "%.4f", row.durationSeconds()), row.sampleRate());
                }
            }
        });
    }

    /** Reads a manifest; a malformed file or row is an error naming the file and line. */
    public static List<ManifestRow> read(Path file) {
        String where = file.toString();
        // The file is its own resource: reading past a byte-order mark can fail (undecodable
        // first bytes) before the wrapper exists, and must not leak the file (Jazzer finding).
        try (Reader text = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             Reader reader = withoutByteOrderMark(text);
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
            List<String> missing = new ArrayList<>(COLUMNS);
            missing.removeAll(csv.getHeaderNames());
            if (!missing.isEmpty()) {
                throw new BadInputException(where, "not a manifest: missing column(s) " + String.join(", ", missing));
            }
            List<ManifestRow> rows = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            int width = csv.getHeaderNames().size();
            for (CSVRecord record : csv) {
                ManifestRow row = parse(record, width, where);
                if (!ids.add(row.id())) {
                    throw new BadInputException(where + ":" + csv.getCurrentLineNumber(), "duplicate utterance id " + row.id());
                }
                rows.add(row);
            }
            return rows;
        } catch (NoSuchFileException e) {
            throw new BadInputException(where, "no such file");
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // commons-csv: malformed quoting (IllegalStateException, UncheckedIOException), a
            // header naming a column twice (IllegalArgumentException); undecodable bytes (IOException)
            throw new BadInputException(where, "cannot read manifest: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Text editors on Windows start UTF-8 files with U+FEFF; it is not part of the first column's name. */
    private static Reader withoutByteOrderMark(Reader reader) throws IOException {
        java.io.PushbackReader in = new java.io.PushbackReader(reader, 1);
        int first = in.read();
        if (first != -1 && first != '\uFEFF') {
            in.unread(first);
        }
        return in;
    }

    private static ManifestRow parse(CSVRecord r, int width, String file) {
        String where = file + ":" + (r.getRecordNumber() + 1);
        if (r.size() != width) {
            throw new BadInputException(where, "bad manifest row: " + r.size() + " field(s), the header has " + width);
        }
        String id = r.get("id");
        String path = r.get("path");
        if (id.isBlank() || path.isBlank()) {
            throw new BadInputException(where, "bad manifest row: empty " + (id.isBlank() ? "id" : "path"));
        }
        double duration = number(r, "duration_s", where, Double::parseDouble);
        if (!(duration >= 0) || Double.isInfinite(duration)) {
            throw new BadInputException(where, "bad manifest row: duration_s '" + r.get("duration_s").trim()
                    + "' is not a finite number >= 0");
        }
        int sampleRate = number(r, "sample_rate", where, Integer::parseInt);
        if (sampleRate <= 0) {
            throw new BadInputException(where, "bad manifest row: sample_rate " + sampleRate + " is not positive");
        }
        int label = number(r, "emotion_label", where, Integer::parseInt);
        if (label < 1 || label > Emotion.COUNT) {
            throw new BadInputException(where, "bad manifest row: emotion_label " + label + " is not 1.." + Emotion.COUNT);
        }
        String gender = r.get("gender");
        return new ManifestRow(id, path, r.get("corpus"), r.get("speaker"), gender.isBlank() ? Optional.empty() : Optional.of(gender),
                r.get("source_label"), Emotion.ofLabel(label), duration, sampleRate);
    }

    private static <T> T number(CSVRecord r, String column, String where, java.util.function.Function<String, T> parser) {
        String text = r.get(column).trim();
        try {
            return parser.apply(text);
        } catch (NumberFormatException e) {
            throw new BadInputException(where, "bad manifest row: " + column + " '" + text + "' is not a number", e);
        }
    }
}
