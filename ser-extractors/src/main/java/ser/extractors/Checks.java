package ser.extractors;

import ser.api.AudioClip;
import ser.api.FrameGrid;

final class Checks {

    private Checks() {
    }

    /** The grid describes the clip's samples, so their rates must agree. */
    static void sameRate(String extractor, AudioClip clip, FrameGrid grid) {
        if (clip.sampleRate() != grid.sampleRate()) {
            throw new IllegalArgumentException(extractor + ": clip sample rate " + clip.sampleRate()
                    + " Hz differs from the frame grid's " + grid.sampleRate() + " Hz");
        }
    }
}
