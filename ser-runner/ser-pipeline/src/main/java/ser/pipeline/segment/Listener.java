package ser.pipeline.segment;

import be.tarsos.dsp.AudioDispatcher;
import be.tarsos.dsp.AudioEvent;
import be.tarsos.dsp.AudioProcessor;
import be.tarsos.dsp.io.jvm.AudioDispatcherFactory;
import javax.sound.sampled.LineUnavailableException;
import ser.pipeline.BadInputException;

/**
 * {@code ser listen}: live audio through TarsosDSP's {@link AudioDispatcher} into a
 * {@link RollingPredictor}. The dispatcher reads the default microphone, or any
 * {@link be.tarsos.dsp.io.TarsosDSPAudioInputStream} (a decoded file: {@link PcmStream}).
 */
public final class Listener {

    /** Samples the dispatcher hands over at a time: 50 ms at 16 kHz, small against the hop. */
    public static final int BLOCK = 800;

    private Listener() {
    }

    /** A dispatcher over the default microphone, mono 16-bit at {@code sampleRate}. */
    public static AudioDispatcher microphone(int sampleRate) {
        try {
            return AudioDispatcherFactory.fromDefaultMicrophone(sampleRate, BLOCK, 0);
        } catch (LineUnavailableException | IllegalArgumentException e) {
            throw new BadInputException("microphone", "no usable audio input line at " + sampleRate + " Hz (" + e.getMessage()
                    + "); use --input FILE on a machine without one");
        }
    }

    /** A dispatcher over decoded samples, as a microphone would deliver them. */
    public static AudioDispatcher of(float[] samples, int sampleRate) {
        AudioDispatcher d = new AudioDispatcher(new PcmStream(samples, sampleRate), BLOCK, 0);
        d.setZeroPadLastBuffer(false);
        return d;
    }

    /** Feeds every buffer the dispatcher reads into {@code predictor}; {@link AudioDispatcher#run()} then blocks until the end. */
    public static void connect(AudioDispatcher dispatcher, RollingPredictor predictor) {
        dispatcher.addAudioProcessor(new AudioProcessor() {
            @Override
            public boolean process(AudioEvent event) {
                float[] buffer = event.getFloatBuffer();
                predictor.accept(buffer, buffer.length);
                return true;
            }

            @Override
            public void processingFinished() {
            }
        });
    }
}
