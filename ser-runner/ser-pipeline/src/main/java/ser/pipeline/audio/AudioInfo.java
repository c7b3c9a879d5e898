package ser.pipeline.audio;

/**
 * What a WAV file's header says, read without decoding the samples.
 *
 * @param sampleRate      frames per second, in Hz
 * @param channels        interleaved channels per frame
 * @param bitsPerSample   significant bits of one sample (e.g. 12 for 12-bit audio stored in 16-bit containers)
 * @param format          container and encoding, e.g. {@code WAVE PCM}, {@code WAVE IEEE float},
 *                        {@code WAVE extensible PCM}, {@code RF64 PCM}
 * @param frames          number of frames in the data chunk
 * @param durationSeconds {@code frames / sampleRate}
 */
public record AudioInfo(int sampleRate, int channels, int bitsPerSample, String format, long frames, double durationSeconds) {
}
