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

    /** The file name without a {@code .wav} extension (any case); null if it has none. */
    static String wavStem(String relativePath) {
        String name = fileName(relativePath);
        if (name.length() > 4 && name.regionMatches(true, name.length() - 4, ".wav", 0, 4)) {
            return name.substring(0, name.length() - 4);
        }
        return null;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
