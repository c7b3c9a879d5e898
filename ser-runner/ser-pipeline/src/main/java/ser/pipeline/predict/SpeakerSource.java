package ser.pipeline.predict;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.pipeline.normalize.Normalization;
import ser.pipeline.prepare.ManifestRow;

/**
 * Who spoke each file given to {@code ser predict}: the group whose own statistics normalize it
 * (see {@link Normalization}). A file whose speaker is unknown has the group {@code null}.
 */
@FunctionalInterface
public interface SpeakerSource {

    /** The speaker (normalization group) of {@code file}, or null when unknown. */
    String speakerOf(String file);

    /** Nobody known: every file is normalized with the bundle's fallback statistics. */
    static SpeakerSource unknown() {
        return file -> null;
    }

    /** Every file by one speaker ({@code --speaker NAME}). */
    static SpeakerSource named(String speaker) {
        return file -> speaker;
    }

    /**
     * One speaker per folder ({@code --speaker-per-folder}): the folder that directly holds the
     * file (for {@code archive.zip!/dir/f.wav}, the archive and the folder inside it).
     */
    static SpeakerSource perFolder() {
        return file -> {
            int bang = file.indexOf("!/");
            if (bang >= 0) {
                int slash = file.lastIndexOf('/');
                return slash > bang + 1 ? file.substring(0, slash) : file.substring(0, bang);
            }
            Path parent = Path.of(file).toAbsolutePath().normalize().getParent();
            return parent == null ? "" : parent.toString();
        };
    }

    /**
     * The manifest's speaker of each of its files ({@code ser predict --manifest M}): the group
     * key that training used, {@code corpus/speaker} (or the corpus, under corpus normalization).
     * A file the manifest does not list is unknown.
     */
    static SpeakerSource manifest(List<ManifestRow> rows, Normalization mode) {
        Map<String, String> byLocation = new LinkedHashMap<>();
        for (ManifestRow r : rows) {
            byLocation.put(r.location(), mode == Normalization.CORPUS ? r.corpus() : r.speakerKey());
        }
        return byLocation::get;
    }
}
