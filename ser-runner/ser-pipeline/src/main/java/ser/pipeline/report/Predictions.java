package ser.pipeline.report;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import ser.api.Emotion;
import ser.pipeline.util.AtomicFiles;

/**
 * A model's class probabilities for labelled utterances, and {@code test_predictions.csv}:
 * {@code id, speaker, true, predicted, <one probability column per emotion id, label order>}.
 * Emotions are written as ids ({@code fear}, ...); predicted is the arg-max (lowest label on a tie).
 */
public record Predictions(List<Row> rows) {

    /**
     * One utterance: who said it, its true class, the predicted class and the model's
     * probabilities (index = class index).
     */
    public record Row(String id, String speaker, Emotion truth, Emotion predicted, float[] probabilities) {

        /** A row predicting the arg-max of {@code probabilities}. */
        public static Row of(String id, String speaker, Emotion truth, float[] probabilities) {
            return new Row(id, speaker, truth, Emotion.ofIndex(Metrics.argmax(probabilities)), probabilities);
        }
    }

    public Predictions {
        rows = List.copyOf(rows);
    }

    public Metrics metrics() {
        int[] truth = new int[rows.size()];
        int[] predicted = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            truth[i] = rows.get(i).truth().index();
            predicted[i] = rows.get(i).predicted().index();
        }
        return Metrics.of(truth, predicted, Emotion.COUNT);
    }

    /**
     * Metrics of each corpus's rows, by corpus name in order. The corpus is the speaker key's part
     * before its first {@code /} (speaker keys are {@code corpus/speaker}).
     */
    public Map<String, Metrics> byCorpus() {
        Map<String, List<Row>> rowsOf = new TreeMap<>();
        for (Row r : rows) {
            rowsOf.computeIfAbsent(corpusOf(r.speaker()), c -> new ArrayList<>()).add(r);
        }
        Map<String, Metrics> out = new LinkedHashMap<>();
        rowsOf.forEach((corpus, list) -> out.put(corpus, new Predictions(list).metrics()));
        return out;
    }

    /** The corpus part of a speaker key. */
    public static String corpusOf(String speakerKey) {
        int slash = speakerKey.indexOf('/');
        return slash < 0 ? speakerKey : speakerKey.substring(0, slash);
    }

    /** Header of the CSV file. */
    public static List<String> columns() {
        List<String> header = new ArrayList<>(List.of("id", "speaker", "true", "predicted"));
        for (Emotion e : Emotion.values()) {
            header.add(e.id());
        }
        return header;
    }

    public void writeCsv(Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            try (CSVPrinter csv = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                    CSVFormat.DEFAULT.builder().setRecordSeparator("\n").setHeader(columns().toArray(String[]::new)).get())) {
                for (Row row : rows) {
                    List<Object> values = new ArrayList<>(List.of(row.id(), row.speaker(), row.truth().id(), row.predicted().id()));
                    for (float p : row.probabilities()) {
                        values.add(String.format(Locale.ROOT, "%.6f", p));
                    }
                    csv.printRecord(values);
                }
            }
        });
    }

    /** Reads a file written by {@link #writeCsv}. */
    public static Predictions readCsv(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            for (CSVRecord r : csv) {
                float[] p = new float[Emotion.COUNT];
                for (Emotion e : Emotion.values()) {
                    p[e.index()] = Float.parseFloat(r.get(e.id()));
                }
                rows.add(new Row(r.get("id"), r.get("speaker"), Emotion.ofId(r.get("true")), Emotion.ofId(r.get("predicted")), p));
            }
        }
        return new Predictions(rows);
    }
}
