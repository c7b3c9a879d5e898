package ser.pipeline.corpus;

import java.util.List;
import java.util.Locale;

/** Pieces of a corpus-relative path ({@code a/b/c.wav}, forward slashes) that naming conventions read. */
final class Names {

    private Names() {
    }

    /** The non-empty path components, in order. */
    static List<String> components(String relativePath) {
        return java.util.Arrays.stream(relativePath.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /** The last component. */
    static String fileName(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        return relativePath.substring(slash + 1);
    }

    /** The folder holding the file, or "" at the root. */
    static String parentName(String relativePath) {
        List<String> parts = components(relativePath);
        return parts.size() < 2 ? "" : parts.get(parts.size() - 2);
    }

    /** The file name without its audio extension ({@code .wav}, {@code .flac}, ..., any case); null if it has none. */
    static String wavStem(String relativePath) {
        // Any audio suffix: a corpus converted to FLAC or MP3 keeps its naming convention.
        String name = fileName(relativePath);
        int dot = name.lastIndexOf('.');
        if (dot > 0 && ser.pipeline.audio.Container.hasAudioSuffix(name)) {
            return name.substring(0, dot);
        }
        return null;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
