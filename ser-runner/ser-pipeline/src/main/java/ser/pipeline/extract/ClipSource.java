package ser.pipeline.extract;

import ser.api.AudioClip;

/**
 * Decodes one manifest location into mono float32 audio at the pipeline's sample rate. In the
 * CLI this is {@code ser.pipeline.audio.AudioLoader::load}; tests supply generated audio.
 */
@FunctionalInterface
public interface ClipSource {

    /** @throws ser.pipeline.BadInputException when the file is missing, empty or cannot be decoded */
    AudioClip load(String location);
}
