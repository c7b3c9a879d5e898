package ser.pipeline.audio;

import java.util.Locale;
import java.util.Set;

/**
 * The audio containers {@code ser} reads, told apart by their first bytes (never by the file
 * name, which may lie or be missing: a pipe, a request body). WAV goes to {@link WavDecoder};
 * everything else to {@link FfmpegDecoder}.
 */
public enum Container {
    WAV("WAV"),
    MP3("MP3"),
    AAC("AAC (ADTS)"),
    FLAC("FLAC"),
    OGG("Ogg (Vorbis/Opus)"),
    MP4("M4A/MP4 (AAC)"),
    MATROSKA("WebM/Matroska");

    /** Bytes {@link #sniff} needs to tell every container apart. */
    public static final int SNIFF_BYTES = 12;

    /**
     * File suffixes a folder is searched for: the usual names of what {@link #sniff} accepts
     * (the suffix only selects files; the content decides how they are decoded).
     */
    public static final Set<String> SUFFIXES = Set.of("wav", "wave", "mp3", "flac", "ogg", "oga", "opus", "m4a", "mp4", "aac",
            "webm", "mka");

    private final String label;

    Container(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether a file name ends with one of {@link #SUFFIXES} (case-insensitive). */
    public static boolean hasAudioSuffix(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && SUFFIXES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The container the first {@code n} bytes of a file announce, or null when none of ours. */
    public static Container sniff(byte[] b, int n) {
        String m4 = n >= 4 ? new String(b, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        if ((m4.equals("RIFF") || m4.equals("RF64") || m4.equals("BW64")) && n >= 12
                && new String(b, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("WAVE")) {
            return WAV;
        }
        switch (m4) {
            case "fLaC":
                return FLAC;
            case "OggS":
                return OGG;
            default:
                break;
        }
        if (n >= 3 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
            // An ID3v2 tag precedes MP3 frames (and, rarely, ADTS or FLAC; FFmpeg probes past it).
            return MP3;
        }
        if (n >= 2 && (b[0] & 0xFF) == 0xFF) {
            int b1 = b[1] & 0xFF;
            if ((b1 & 0xF6) == 0xF0) {
                return AAC; // 12-bit sync, layer 00: ADTS
            }
            if ((b1 & 0xE0) == 0xE0 && (b1 & 0x06) != 0 && (b1 & 0x18) != 0x08) {
                return MP3; // 11-bit sync, a valid MPEG version and layer
            }
        }
        if (n >= 8 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            return MP4;
        }
        if (n >= 4 && (b[0] & 0xFF) == 0x1A && (b[1] & 0xFF) == 0x45 && (b[2] & 0xFF) == 0xDF && (b[3] & 0xFF) == 0xA3) {
            return MATROSKA;
        }
        return null;
    }
}
