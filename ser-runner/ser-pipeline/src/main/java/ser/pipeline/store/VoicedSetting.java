package ser.pipeline.store;

import java.util.List;

/**
 * The voiced-only functionals of a feature schema ({@code ser.extract.voiced}): which frame
 * columns are summarized over the voiced frames only, and which frame column says a frame is
 * voiced. Off when both lists are empty ({@link #OFF}); a schema without them hashes as before.
 *
 * @param voicingColumn frame column whose value above 0.5 marks a voiced frame (e.g. {@code pitch_voiced})
 * @param columns       frame columns summarized as they are
 * @param semitones     frame columns (frequencies in Hz) summarized in semitones re 27.5 Hz
 */
public record VoicedSetting(String voicingColumn, List<String> columns, List<String> semitones) {

    /** No voiced-only functionals. */
    public static final VoicedSetting OFF = new VoicedSetting("", List.of(), List.of());

    public VoicedSetting {
        columns = List.copyOf(columns);
        semitones = List.copyOf(semitones);
    }

    public boolean enabled() {
        return !columns.isEmpty() || !semitones.isEmpty();
    }
}
