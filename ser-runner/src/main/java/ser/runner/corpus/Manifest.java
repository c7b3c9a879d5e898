package ser.runner.corpus;

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
import ser.runner.BadInputException;
import ser.runner.util.AtomicFiles;

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
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
            List<String> missing = new ArrayList<>(COLUMNS);
            missing.removeAll(csv.getHeaderNames());
            if (!missing.isEmpty()) {
                throw new BadInputException(where, "not a manifest: missing column(s) " + String.join(", ", missing));
            }
            List<ManifestRow> rows = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (CSVRecord record : csv) {
                ManifestRow row = parse(record, where);
                if (!ids.add(row.id())) {
                    throw new BadInputException(where + ":" + csv.getCurrentLineNumber(), "duplicate utterance id " + row.id());
                }
                rows.add(row);
            }
            return rows;
        } catch (NoSuchFileException e) {
            throw new BadInputException(where, "no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInputException(where, "cannot read manifest: " + e.getMessage(), e);
        }
    }

    private static ManifestRow parse(CSVRecord r, String file) {
        String where = file + ":" + (r.getRecordNumber() + 1);
        try {
            String gender = r.get("gender");
            Emotion emotion = Emotion.ofLabel(Integer.parseInt(r.get("emotion_label").trim()));
            return new ManifestRow(r.get("id"), r.get("path"), r.get("corpus"), r.get("speaker"),
                    gender.isBlank() ? Optional.empty() : Optional.of(gender), r.get("source_label"), emotion,
                    Double.parseDouble(r.get("duration_s")), Integer.parseInt(r.get("sample_rate").trim()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new BadInputException(where, "bad manifest row: " + e.getMessage(), e);
        }
    }
}
