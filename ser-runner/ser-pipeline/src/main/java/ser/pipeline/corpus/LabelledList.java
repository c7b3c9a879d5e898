package ser.pipeline.corpus;

import ser.pipeline.prepare.ScanResult;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import ser.api.CorpusAdapter;
import ser.pipeline.BadInputException;

/**
 * A labelled list: a CSV file, given as {@code --corpus list.csv}, that names each audio file with
 * its label, so a corpus with no built-in naming convention can be used without code.
 *
 * <p>The first row is a header naming the columns, in any order and case: {@code path} and
 * {@code label} are required, {@code speaker} and {@code gender} optional, other columns are
 * ignored. A path is relative to the CSV's folder unless absolute. The corpus name is the CSV's
 * file name without {@code .csv}, lower case. A missing speaker is {@value #UNKNOWN_SPEAKER}
 * (so a speaker-independent split keeps all such files together); gender is {@code male},
 * {@code female}, {@code m}, {@code f} or empty. A list without the required columns is a usage
 * error; a row that cannot be used (blank path or label, unknown gender, no such file) is a bad
 * entry named by the list and its row, and the other rows are still read.
 */
public final class LabelledList {

    static final String UNKNOWN_SPEAKER = "unknown";
    private static final String PATH = "path";
    private static final String LABEL = "label";
    private static final String SPEAKER = "speaker";
    private static final String GENDER = "gender";

    /** One usable row: the file, its path relative to the list's folder (for the utterance id) and what the list says. */
    public record Entry(String relativePath, Path file, CorpusAdapter.Labeled labeled) {
    }

    /** The usable rows and the rows that could not be used. */
    public record Contents(List<Entry> entries, List<ScanResult.Issue> bad) {
    }

    private LabelledList() {
    }

    /** Whether a {@code --corpus} argument names a labelled list. */
    public static boolean isList(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    /**
     * Reads a list; {@code given} is the path as the user wrote it, for messages.
     *
     * @throws BadInputException when the file cannot be read or has no {@code path} or {@code label} column
     */
    public static Contents read(Path csv, String given) {
        Path folder = csv.toAbsolutePath().normalize().getParent();
        String corpus = corpusName(csv);
        List<Entry> entries = new ArrayList<>();
        List<ScanResult.Issue> bad = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.parse(reader)) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                throw new BadInputException("--corpus " + given, "labelled list is empty (expected a header with path, label)");
            }
            Map<String, Integer> columns = header(records.next(), given);
            while (records.hasNext()) {
                CSVRecord record = records.next();
                String problem = problem(record, columns, folder);
                if (problem == null) {
                    entries.add(entry(record, columns, folder, corpus));
                } else {
                    bad.add(new ScanResult.Issue(csv + " row " + (record.getRecordNumber() - 1), problem));
                }
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException("--corpus " + given, "no such file");
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            // commons-csv reports malformed quoting as an IllegalStateException or an
            // UncheckedIOException, and undecodable bytes surface as an IOException
            throw new BadInputException("--corpus " + given, "cannot read labelled list: " + rootMessage(e), e);
        }
        return new Contents(entries, bad);
    }

    /** The lower-case file name without {@code .csv}. */
    static String corpusName(Path csv) {
        String name = csv.getFileName().toString();
        return name.substring(0, name.length() - ".csv".length()).toLowerCase(Locale.ROOT);
    }

    private static Map<String, Integer> header(CSVRecord header, String given) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && columns.putIfAbsent(name, i) != null) {
                throw new BadInputException("--corpus " + given, "labelled list names column " + name + " twice");
            }
        }
        List<String> missing = new ArrayList<>();
        for (String required : List.of(PATH, LABEL)) {
            if (!columns.containsKey(required)) {
                missing.add(required);
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInputException("--corpus " + given, "labelled list has no column " + String.join(", ", missing)
                    + " (its first row must be a header naming path, label and optionally speaker, gender)");
        }
        return columns;
    }

    /** The entry of a row that {@link #problem} found nothing wrong with. */
    private static Entry entry(CSVRecord record, Map<String, Integer> columns, Path folder, String corpus) {
        String path = cell(record, columns, PATH);
        Path file = resolve(folder, path);
        String speaker = cell(record, columns, SPEAKER);
        return new Entry(relative(folder, file), file, new CorpusAdapter.Labeled(corpus,
                speaker.isEmpty() ? UNKNOWN_SPEAKER : speaker, gender(cell(record, columns, GENDER)),
                Names.lower(cell(record, columns, LABEL))));
    }

    /** What is wrong with a row, or null. */
    private static String problem(CSVRecord record, Map<String, Integer> columns, Path folder) {
        if (record.size() <= Math.max(columns.get(PATH), columns.get(LABEL))) {
            return "row has " + record.size() + " field(s); path and label are required";
        }
        String path = cell(record, columns, PATH);
        if (path.isEmpty()) {
            return "empty path";
        }
        if (cell(record, columns, LABEL).isEmpty()) {
            return "empty label for " + path;
        }
        String gender = cell(record, columns, GENDER);
        if (!gender.isEmpty() && gender(gender).isEmpty()) {
            return "gender '" + gender + "' is not male, female, m, f or empty";
        }
        Path file = resolve(folder, path);
        if (file == null) {
            return "not a usable path: " + path;
        }
        if (!Files.exists(file)) {
            return "no such file " + file;
        }
        if (Files.isDirectory(file)) {
            return "is a folder, not a file: " + file;
        }
        return null;
    }

    /** A cell, trimmed; "" when the column is absent or the row is short. */
    private static String cell(CSVRecord record, Map<String, Integer> columns, String column) {
        Integer i = columns.get(column);
        return i == null || i >= record.size() ? "" : record.get(i).trim();
    }

    private static Path resolve(Path folder, String path) {
        try {
            return folder.resolve(path).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Optional<String> gender(String value) {
        return switch (Names.lower(value)) {
            case "male", "m" -> Optional.of("male");
            case "female", "f" -> Optional.of("female");
            default -> Optional.empty();
        };
    }

    /** The path under the list's folder, or the absolute path without its root for files elsewhere. */
    private static String relative(Path folder, Path file) {
        Path p = file.startsWith(folder) ? folder.relativize(file) : file.getRoot() == null ? file : file.getRoot().relativize(file);
        return p.toString().replace(java.io.File.separatorChar, '/');
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
}
