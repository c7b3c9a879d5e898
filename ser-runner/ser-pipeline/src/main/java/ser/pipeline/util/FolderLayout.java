package ser.pipeline.util;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a command writes into its output folder, so that an existing folder is replaced or
 * written into only when it holds nothing else: {@code ser} never deletes what it did not write.
 *
 * @param marker  a file that must be present for a non-empty folder to count as this kind of
 *                output (null: none needed)
 * @param files   names of files it writes
 * @param folders names of sub-folders it writes, with their own layouts
 * @param pattern further names it writes (temporary files, numbered folders), or null
 * @param patternFolder layout of folders matching {@code pattern}, or null when those are files
 * @param anyFile whether any regular file (no sub-folder) is accepted, e.g. a backend's weights
 */
public record FolderLayout(String marker, Set<String> files, Map<String, FolderLayout> folders, Pattern pattern,
        FolderLayout patternFolder, boolean anyFile) {

    /** Temporary files {@link AtomicFiles} leaves behind when a run is killed while writing. */
    public static final Pattern TEMPORARY = Pattern.compile("\\..+\\.tmp");

    /** A folder of files with any names (no sub-folders). */
    public static FolderLayout anyFiles() {
        return new FolderLayout(null, Set.of(), Map.of(), null, null, true);
    }

    /** The files of a folder, plus killed runs' temporary files. */
    public static FolderLayout of(String marker, Set<String> files, Map<String, FolderLayout> folders) {
        return new FolderLayout(marker, files, folders, TEMPORARY, null, false);
    }

    /** Adds folders named by {@code names} with the layout {@code layout}. */
    public FolderLayout withFolders(Pattern names, FolderLayout layout) {
        return new FolderLayout(marker, files, folders, names, layout, anyFile);
    }

    /**
     * The first entry of {@code dir} (relative to it) that this layout does not account for,
     * or, for a non-empty folder without the marker, the folder itself; empty when the folder
     * holds only what the command writes (or is empty or absent).
     */
    public Optional<String> foreign(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Files.exists(dir, LinkOption.NOFOLLOW_LINKS) ? Optional.of(".") : Optional.empty();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            boolean empty = true;
            for (Path entry : entries) {
                empty = false;
                Optional<String> bad = check(entry);
                if (bad.isPresent()) {
                    return bad;
                }
            }
            if (!empty && marker != null && !Files.isRegularFile(dir.resolve(marker), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of("(no " + marker + ")");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("(unreadable: " + e.getMessage() + ")");
        }
    }

    private Optional<String> check(Path entry) {
        String name = entry.getFileName().toString();
        boolean file = Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS);
        boolean folder = Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
        if (file && (anyFile || files.contains(name))) {
            return Optional.empty();
        }
        FolderLayout sub = folder ? folders.get(name) : null;
        if (sub == null && pattern != null && pattern.matcher(name).matches()) {
            if (patternFolder == null && file) {
                return Optional.empty();
            }
            sub = folder ? patternFolder : null;
        }
        if (sub == null) {
            return Optional.of(name + (folder ? "/" : ""));
        }
        return sub.foreign(entry).map(inner -> name + "/" + inner);
    }
}
