package ser.pipeline.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.Test;
import ser.api.AudioClip;

/** The shared golden recordings (copied to test resources): a real 48 kHz stereo 24-bit file. */
class GoldenAudioTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(GoldenAudioTest.class.getResource("/audio/" + name).toURI());
    }

    /** The file read by javax.sound (which handles this plain PCM file), channels averaged. */
    private static double[] javaSoundMono(Path file) throws IOException, UnsupportedAudioFileException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat f = in.getFormat();
            byte[] b = in.readAllBytes();
            int channels = f.getChannels();
            int bytes = f.getSampleSizeInBits() / 8;
            int frames = b.length / (channels * bytes);
            double[] mono = new double[frames];
            for (int i = 0; i < frames; i++) {
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    int p = (i * channels + c) * bytes;
                    int v = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | b[p + 2] << 16;
                    sum += v / 8388608.0;
                }
                mono[i] = sum / channels;
            }
            return mono;
        }
    }

    @Test
    void stereo24AtItsOwnRateIsTheChannelAverage() throws Exception {
        Path file = resource("speech_f_48000_stereo24.wav");
        AudioInfo info = new AudioLoader(48000).probe(file.toString());
        assertThat(info.sampleRate()).isEqualTo(48000);
        assertThat(info.channels()).isEqualTo(2);
        assertThat(info.bitsPerSample()).isEqualTo(24);
        assertThat(info.durationSeconds()).isCloseTo(3.45, within(0.01));

        AudioClip clip = new AudioLoader(48000).load(file.toString());
        double[] reference = javaSoundMono(file);
        assertThat(clip.length()).isEqualTo(reference.length).isEqualTo((int) info.frames());
        for (int i = 0; i < reference.length; i++) {
            assertThat((double) clip.samples()[i]).isCloseTo(reference[i], within(1e-7));
        }
        double peak = Signals.peak(clip.samples());
        assertThat(peak).isBetween(0.05, 1.0);
    }

    @Test
    void resampledTo22050ItMatchesTheProvided22050File() throws Exception {
        AudioClip resampled = new AudioLoader(22050).load(resource("speech_f_48000_stereo24.wav").toString());
        AudioClip given = new AudioLoader(22050).load(resource("speech_f_22050.wav").toString());
        assertThat(resampled.sampleRate()).isEqualTo(22050);
        assertThat(resampled.length()).isCloseTo(given.length(), within(2));
        double a = Signals.rms(resampled.samples());
        double b = Signals.rms(given.samples());
        assertThat(a / b).isCloseTo(1.0, within(0.01));
    }
}
