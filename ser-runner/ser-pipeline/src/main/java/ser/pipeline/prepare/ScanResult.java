package ser.pipeline.prepare;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import ser.api.Emotion;

/**
 * What a corpus scan found: the manifest rows, and every file that did not become one, with the
 * reason.
 *
 * @param rows       labelled, readable files, sorted by utterance id's path
 * @param unlabeled  {@code .wav} files whose names follow no known convention
 * @param excluded   files whose names follow a convention but are left out (RAVDESS songs,
 *                   skipped labels, ...)
 * @param bad        unreadable or corrupt files, folders that could not be listed, symbolic link
 *                   loops, zip entries that escape their archive
 * @param duplicates files skipped because the same file or utterance id was already taken
 * @param ignored    files that are not {@code .wav} and not {@code .zip}, counted by extension
 */
public record ScanResult(List<ManifestRow> rows, List<String> unlabeled, List<Issue> excluded, List<Issue> bad,
        List<Issue> duplicates, Map<String, Integer> ignored) {

    /** One file and why it is not a manifest row. */
    public record Issue(String location, String reason) {
        @Override
        public String toString() {
            return location + ": " + reason;
        }
    }

    public ScanResult {
        rows = List.copyOf(rows);
        unlabeled = List.copyOf(unlabeled);
        excluded = List.copyOf(excluded);
        bad = List.copyOf(bad);
        duplicates = List.copyOf(duplicates);
        ignored = java.util.Collections.unmodifiableMap(new TreeMap<>(ignored));
    }

    /** Rows per corpus and emotion (corpora sorted by name). */
    public Map<String, Map<Emotion, Integer>> counts() {
        Map<String, Map<Emotion, Integer>> counts = new TreeMap<>();
        for (ManifestRow row : rows) {
            counts.computeIfAbsent(row.corpus(), c -> new EnumMap<>(Emotion.class)).merge(row.emotion(), 1, Integer::sum);
        }
        return counts;
    }

    /** Rows per emotion, over all corpora. */
    public Map<Emotion, Integer> countsByEmotion() {
        Map<Emotion, Integer> counts = new EnumMap<>(Emotion.class);
        for (ManifestRow row : rows) {
            counts.merge(row.emotion(), 1, Integer::sum);
        }
        return counts;
    }

    /** A table of files per corpus and emotion, then one line of totals of the other lists. */
    public List<String> summaryLines() {
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-10s %7s", "corpus", "files"));
        for (Emotion e : Emotion.values()) {
            head.append(String.format(Locale.ROOT, " %8s", e.id()));
        }
        lines.add(head.toString());
        counts().forEach((corpus, byEmotion) -> lines.add(row(corpus, byEmotion)));
        lines.add(row("total", countsByEmotion()));
        String ignoredText = ignored.isEmpty() ? "0"
                : ignored.values().stream().mapToInt(Integer::intValue).sum() + " ("
                        + ignored.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))
                        + ")";
        lines.add(String.format(Locale.ROOT, "labelled %d, unlabeled %d, excluded %d, bad %d, duplicates %d; other files ignored: %s",
                rows.size(), unlabeled.size(), excluded.size(), bad.size(), duplicates.size(), ignoredText));
        return lines;
    }

    private static String row(String name, Map<Emotion, Integer> byEmotion) {
        int total = byEmotion.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-10s %7d", name, total));
        for (Emotion e : Emotion.values()) {
            s.append(String.format(Locale.ROOT, " %8d", byEmotion.getOrDefault(e, 0)));
        }
        return s.toString();
    }

    /** One line per file that is not a row: {@code <kind>: <location>: <reason>}. */
    public List<String> issueLines() {
        List<String> lines = new ArrayList<>();
        unlabeled.forEach(u -> lines.add("unlabeled: " + u + ": matches no corpus naming convention"));
        excluded.forEach(i -> lines.add("excluded: " + i));
        duplicates.forEach(i -> lines.add("duplicate: " + i));
        bad.forEach(i -> lines.add("bad: " + i));
        return lines;
    }
}
