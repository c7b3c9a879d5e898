package ser.pipeline.prepare;

import ser.pipeline.corpus.LabelMap;
import ser.pipeline.corpus.LabelledList;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import ser.api.CorpusAdapter;
import ser.api.CorpusAdapterProvider;
import ser.api.Emotion;
import ser.pipeline.BadInputException;
import ser.pipeline.audio.AudioInfo;
import ser.pipeline.audio.AudioLocation;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.audio.Container;
import ser.pipeline.plugins.Plugin;
import ser.pipeline.plugins.PluginRegistry;

/**
 * Finds the labelled utterances under corpus roots.
 *
 * <p>A root is a folder, a {@code .zip} archive, a single audio file ({@code .wav}, {@code .flac}, {@code .mp3}, ...: {@link Container#SUFFIXES}) or a labelled list
 * ({@code .csv}, see {@link LabelledList}: its files keep the list's labels, no adapter is asked). Folders are walked
 * (symbolic links followed unless {@code ser.prepare.follow-symlinks = false}; a link loop is
 * reported, not followed), and every {@code .zip} found in them is read in place, as if it were a
 * folder named after the archive: entries of {@code AVV_dataset.zip} are at
 * {@code AVV_dataset/...} whether or not the archive itself wraps them in a folder of that name,
 * so a folder and its zip side by side give the same utterance ids. Entries whose names are
 * absolute or climb out of the archive with {@code ..} are refused.
 *
 * <p>Each audio file is named by its path relative to its root (forward slashes), asked to the
 * corpus adapters in priority order (strict conventions first; the first that recognizes the name
 * decides), and its header is probed, so corrupt, truncated and undecodable files are found here
 * rather than in the middle of feature extraction. The utterance id is
 * {@code <corpus>/<relative path without extension>}. The same physical file reached twice (a
 * symbolic link, overlapping roots) or a second file with an id already taken (a folder and its
 * zip) is reported as a duplicate and skipped; the first in sorted order is kept, a plain file
 * before a zip entry. Everything is processed in sorted order, so the result is deterministic.
 */
public final class CorpusScanner {

    public static final String FOLLOW_SYMLINKS = "ser.prepare.follow-symlinks";
    public static final String CORPORA = "ser.corpora";

    private static final String MAC_METADATA = "__MACOSX";

    /** A corpus adapter with its name and priority. */
    record Adapter(String name, int priority, CorpusAdapter adapter) {
    }

    private final List<Adapter> adapters;
    private final LabelMap labels;
    private final boolean followLinks;

    @Inject
    public CorpusScanner(Config config, PluginRegistry plugins) {
        this(config, plugins.corpora().values().stream().map(Plugin::provider).toList());
    }

    public CorpusScanner(Config config, Collection<CorpusAdapterProvider> providers) {
        this.labels = LabelMap.fromConfig(config);
        this.followLinks = !config.hasPath(FOLLOW_SYMLINKS) || config.getBoolean(FOLLOW_SYMLINKS);
        List<Adapter> list = new ArrayList<>();
        for (CorpusAdapterProvider p : providers) {
            String path = CORPORA + ".\"" + p.name() + "\"";
            Config settings = config.hasPath(path) ? config.getConfig(path) : ConfigFactory.empty();
            list.add(new Adapter(p.name(), p.priority(), p.create(settings)));
        }
        list.sort(Comparator.comparingInt(Adapter::priority).thenComparing(Adapter::name));
        this.adapters = List.copyOf(list);
    }

    /** Adapter names in the order they are asked. */
    public List<String> adapterOrder() {
        return adapters.stream().map(Adapter::name).toList();
    }

    /** The configured label map. */
    public LabelMap labels() {
        return labels;
    }

    /**
     * Recognizes one corpus-relative path: the first adapter that knows the name decides.
     *
     * @return the adapter's name and its answer, or empty when no convention matches
     */
    public Optional<CorpusAdapter.Recognition> recognize(String relativePath) {
        for (Adapter a : adapters) {
            Optional<CorpusAdapter.Recognition> r = a.adapter().recognize(relativePath);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    /**
     * One audio file found: a plain file or a zip entry; {@code listed} is the label a labelled
     * list gave it (null for files whose names are asked to the adapters).
     */
    private record Candidate(String relativePath, int root, boolean inArchive, String location, String identity, Path file,
            ZipFile zip, ZipEntry entry, CorpusAdapter.Labeled listed) {
    }

    /** Mutable findings of one scan. */
    private static final class Findings {
        final List<Candidate> candidates = new ArrayList<>();
        final List<ScanResult.Issue> bad = new ArrayList<>();
        final Map<String, Integer> ignored = new TreeMap<>();
        final List<ZipFile> open = new ArrayList<>();

        void ignore(String fileName) {
            int dot = fileName.lastIndexOf('.');
            String ext = dot <= 0 ? "(no extension)" : fileName.substring(dot).toLowerCase(Locale.ROOT);
            ignored.merge(ext, 1, Integer::sum);
        }
    }

    /** Walks the roots, in order, and returns what they hold. */
    public ScanResult scan(List<Path> roots) {
        Findings found = new Findings();
        try {
            for (int i = 0; i < roots.size(); i++) {
                collect(i, roots.get(i), found);
            }
            return classify(found);
        } finally {
            for (ZipFile zip : found.open) {
                try {
                    zip.close();
                } catch (IOException e) {
                    // read-only; nothing was written
                }
            }
        }
    }

    private void collect(int index, Path given, Findings found) {
        Path root = given.toAbsolutePath().normalize();
        if (!Files.exists(root) && !Files.isSymbolicLink(root)) {
            throw new BadInputException("--corpus " + given, "no such file or folder");
        }
        String name = root.getFileName() == null ? "" : root.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (Files.isDirectory(root)) {
            walk(index, root, found);
        } else if (lower.endsWith(".zip")) {
            archive(index, root, "", stem(name), true, found);
        } else if (Container.hasAudioSuffix(lower)) {
            found.candidates.add(fileCandidate(index, name, root, null));
        } else if (LabelledList.isList(name)) {
            LabelledList.Contents list = LabelledList.read(root, given.toString());
            found.bad.addAll(list.bad());
            for (LabelledList.Entry e : list.entries()) {
                found.candidates.add(fileCandidate(index, e.relativePath(), e.file(), e.labeled()));
            }
        } else {
            throw new BadInputException("--corpus " + given, "not a folder, a .zip archive, an audio file (.wav, .flac, .mp3, ...) or a labelled list (.csv)");
        }
    }

    private void walk(int index, Path root, Findings found) {
        Set<FileVisitOption> options = followLinks ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : EnumSet.noneOf(FileVisitOption.class);
        try {
            Files.walkFileTree(root, options, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && MAC_METADATA.equals(String.valueOf(dir.getFileName()))
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    String lower = name.toLowerCase(Locale.ROOT);
                    String relative = relative(root, file);
                    if (attrs.isSymbolicLink() && !followLinks) {
                        found.ignored.merge("(symbolic links, not followed)", 1, Integer::sum);
                    } else if (name.startsWith("._")) {
                        found.ignored.merge("(macOS ._ metadata)", 1, Integer::sum);
                    } else if (Container.hasAudioSuffix(lower) && attrs.isOther()) {
                        found.bad.add(new ScanResult.Issue(file.toString(), "not a regular file"));
                    } else if (Container.hasAudioSuffix(lower)) {
                        found.candidates.add(fileCandidate(index, relative, file, null));
                    } else if (lower.endsWith(".zip") && !attrs.isDirectory()) {
                        int slash = relative.lastIndexOf('/');
                        String parent = slash < 0 ? "" : relative.substring(0, slash + 1);
                        archive(index, file, parent, stem(name), false, found);
                    } else {
                        found.ignore(name);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    found.bad.add(new ScanResult.Issue(file.toString(), walkProblem(e)));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    if (e != null) {
                        found.bad.add(new ScanResult.Issue(dir.toString(), "cannot list folder: " + message(e)));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            found.bad.add(new ScanResult.Issue(root.toString(), walkProblem(e)));
        }
    }

    private static String walkProblem(IOException e) {
        if (e instanceof FileSystemLoopException) {
            return "symbolic link loop, not followed";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot read: permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "vanished while scanning";
        }
        return "cannot read: " + message(e);
    }

    private static String message(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot <= 0 ? fileName : fileName.substring(0, dot);
    }

    private static Candidate fileCandidate(int index, String relative, Path file, CorpusAdapter.Labeled listed) {
        String identity;
        try {
            identity = file.toRealPath().toString();
        } catch (IOException e) {
            identity = file.toString();
        }
        return new Candidate(relative, index, false, file.toString(), identity, file, null, null, listed);
    }

    /**
     * Lists an archive's audio entries as if the archive were a folder named {@code stem}
     * at {@code parent} (a root archive: as the root itself).
     */
    private void archive(int index, Path file, String parent, String stem, boolean isRoot, Findings found) {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            found.bad.add(new ScanResult.Issue(file.toString(), "cannot read zip archive: " + message(e)));
            return;
        } catch (IOException e) {
            found.bad.add(new ScanResult.Issue(file.toString(), walkProblem(e)));
            return;
        }
        found.open.add(zip);
        String identityBase;
        try {
            identityBase = file.toRealPath().toString();
        } catch (IOException e) {
            identityBase = file.toString();
        }
        List<ZipEntry> entries = new ArrayList<>();
        Map<ZipEntry, String> normalized = new HashMap<>();
        boolean wrapped = true;
        try {
            for (var e = zip.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                String norm = normalizeEntry(entry.getName());
                if (norm == null) {
                    found.bad.add(new ScanResult.Issue(file + AudioLocation.ENTRY_SEPARATOR + entry.getName(),
                            "zip entry escapes the archive root"));
                    continue;
                }
                if (entry.isDirectory() || norm.isEmpty()) {
                    continue;
                }
                if (norm.startsWith(MAC_METADATA + "/") || norm.substring(norm.lastIndexOf('/') + 1).startsWith("._")) {
                    found.ignored.merge("(macOS ._ metadata)", 1, Integer::sum);
                    continue;
                }
                entries.add(entry);
                normalized.put(entry, norm);
                wrapped &= norm.regionMatches(true, 0, stem + "/", 0, stem.length() + 1);
            }
        } catch (IllegalArgumentException e) {
            found.bad.add(new ScanResult.Issue(file.toString(), "cannot read zip archive: entry names are not UTF-8"));
            return;
        }
        for (ZipEntry entry : entries) {
            String norm = normalized.get(entry);
            String name = norm.substring(norm.lastIndexOf('/') + 1);
            String lower = name.toLowerCase(Locale.ROOT);
            if (!Container.hasAudioSuffix(lower)) {
                found.ignore(name);
                continue;
            }
            String inside = wrapped ? norm.substring(stem.length() + 1) : norm;
            String relative = isRoot ? inside : parent + stem + "/" + inside;
            found.candidates.add(new Candidate(relative, index, true, file + AudioLocation.ENTRY_SEPARATOR + entry.getName(),
                    identityBase + AudioLocation.ENTRY_SEPARATOR + norm, file, zip, entry, null));
        }
    }

    /**
     * An entry name with {@code \} read as {@code /} and {@code .}/{@code ..} resolved; null when
     * it is absolute (or has a drive letter) or climbs out of the archive.
     */
    public static String normalizeEntry(String name) {
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || (n.length() >= 2 && n.charAt(1) == ':')) {
            return null;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String p : n.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }

    private ScanResult classify(Findings found) {
        List<Candidate> candidates = new ArrayList<>(found.candidates);
        candidates.sort(Comparator.comparing(Candidate::relativePath).thenComparingInt(Candidate::root)
                .thenComparing(Candidate::inArchive).thenComparing(Candidate::location));
        List<ManifestRow> rows = new ArrayList<>();
        List<String> unlabeled = new ArrayList<>();
        List<ScanResult.Issue> excluded = new ArrayList<>();
        List<ScanResult.Issue> duplicates = new ArrayList<>();
        List<ScanResult.Issue> bad = new ArrayList<>(found.bad);
        Map<String, String> byIdentity = new HashMap<>();
        Map<String, String> byId = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            String first = byIdentity.putIfAbsent(c.identity(), c.location());
            if (first != null) {
                duplicates.add(new ScanResult.Issue(c.location(), "same file as " + first));
                continue;
            }
            Optional<CorpusAdapter.Recognition> recognition;
            try {
                recognition = c.listed() != null ? Optional.of(c.listed()) : recognize(c.relativePath());
            } catch (RuntimeException e) {
                bad.add(new ScanResult.Issue(c.location(), "corpus adapter failed: " + e));
                continue;
            }
            String id = null;
            if (recognition.orElse(null) instanceof CorpusAdapter.Labeled l) {
                id = l.corpus() + "/" + withoutExtension(c.relativePath());
                String taken = byId.get(id);
                if (taken != null) {
                    duplicates.add(new ScanResult.Issue(c.location(), "duplicate utterance id " + id + " (kept " + taken + ")"));
                    continue;
                }
            }
            AudioInfo info;
            try {
                info = probe(c);
            } catch (BadInputException e) {
                bad.add(new ScanResult.Issue(c.location(), e.problem()));
                continue;
            }
            if (recognition.isEmpty()) {
                unlabeled.add(c.location());
            } else if (recognition.get() instanceof CorpusAdapter.Excluded x) {
                excluded.add(new ScanResult.Issue(c.location(), x.corpus() + ": " + x.reason()));
            } else if (recognition.get() instanceof CorpusAdapter.Labeled l) {
                Optional<Emotion> emotion = labels.map(l.sourceLabel());
                if (emotion.isEmpty()) {
                    excluded.add(new ScanResult.Issue(c.location(), l.corpus() + ": source label '" + l.sourceLabel()
                            + "' is not in " + LabelMap.MAP + " and " + LabelMap.UNMAPPED + " = skip"));
                    continue;
                }
                byId.put(id, c.location());
                rows.add(new ManifestRow(id, c.location(), l.corpus(), l.speaker(), l.gender(), l.sourceLabel(), emotion.get(),
                        info.durationSeconds(), info.sampleRate()));
            }
        }
        return new ScanResult(rows, unlabeled, excluded, bad, duplicates, found.ignored);
    }

    private static String withoutExtension(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        int dot = relativePath.lastIndexOf('.');
        return dot > slash + 1 ? relativePath.substring(0, dot) : relativePath;
    }

    private static AudioInfo probe(Candidate c) {
        try {
            if (c.inArchive()) {
                try (InputStream in = new java.io.BufferedInputStream(c.zip().getInputStream(c.entry()), 1 << 13)) {
                    return AudioLoader.probe(in, c.entry().getSize(), c.location());
                }
            }
            if (Files.isDirectory(c.file())) {
                throw new BadInputException(c.location(), "is a directory, not a file");
            }
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(c.file()), 1 << 13)) {
                return AudioLoader.probe(in, Files.size(c.file()), c.location());
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(c.location(), "no such file (a broken symbolic link?)", e);
        } catch (AccessDeniedException e) {
            throw new BadInputException(c.location(), "cannot read: permission denied", e);
        } catch (IOException e) {
            throw new BadInputException(c.location(), "cannot read: " + message(e), e);
        }
    }
}
