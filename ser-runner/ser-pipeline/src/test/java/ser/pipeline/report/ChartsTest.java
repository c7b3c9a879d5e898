package ser.pipeline.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.EpochMetrics;

/**
 * The charts decode as PNG with a plausible size. With the environment variable
 * {@code SER_CHART_SAMPLES=<folder>} the rendered charts are also written there, to look at.
 */
class ChartsTest {

    static List<EpochMetrics> history(int epochs) {
        List<EpochMetrics> h = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double loss = 2.0 * Math.exp(-e / 8.0) + 0.3;
            double val = 2.1 * Math.exp(-e / 7.0) + 0.45 + Math.max(0, e - 18) * 0.02;
            h.add(new EpochMetrics(e, loss, 1 - loss / 2.4, val, 1 - val / 2.5, 1e-3 * Math.pow(0.999, Math.max(0, e - 10)), 1.5,
                    40));
        }
        return h;
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).isNotNull();
        return image;
    }

    private static void sample(String name, byte[] png) throws IOException {
        String dir = System.getenv("SER_CHART_SAMPLES");
        if (dir != null && !dir.isBlank()) {
            Files.createDirectories(Path.of(dir));
            Files.write(Path.of(dir, name), png);
        }
    }

    @Test
    void trainingCurves() throws IOException {
        List<EpochMetrics> h = history(28);
        byte[] acc = Charts.trainingCurve(h, 18, Charts.Curve.ACCURACY, "djl, speaker split");
        byte[] loss = Charts.trainingCurve(h, 18, Charts.Curve.LOSS, "djl, speaker split");
        for (byte[] png : List.of(acc, loss)) {
            BufferedImage image = decode(png);
            assertThat(image.getWidth()).isEqualTo(900);
            assertThat(image.getHeight()).isEqualTo(560);
        }
        sample("accuracy.png", acc);
        sample("loss.png", loss);
        // Long runs (no markers) and a single epoch still render.
        decode(Charts.trainingCurve(history(100), 90, Charts.Curve.LOSS, ""));
        decode(Charts.trainingCurve(history(1), 1, Charts.Curve.ACCURACY, null));
    }

    /** Pixels of exactly {@code rgb}. */
    private static int pixels(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void withoutValidationOnlyTheTrainingCurveIsDrawn() throws IOException {
        int orange = 0xFF7F0E; // the validation colour
        List<EpochMetrics> validated = history(6);
        List<EpochMetrics> none = validated.stream().map(m -> new EpochMetrics(m.epoch(), m.loss(), m.accuracy(), Double.NaN,
                Double.NaN, m.learningRate(), m.seconds(), m.steps())).toList();
        for (Charts.Curve curve : Charts.Curve.values()) {
            BufferedImage with = decode(Charts.trainingCurve(validated, 4, curve, "linear, speaker split"));
            byte[] png = Charts.trainingCurve(none, 6, curve, "linear, speaker split");
            BufferedImage without = decode(png);
            assertThat(pixels(with, orange)).as("%s: validation drawn", curve).isGreaterThan(100);
            assertThat(pixels(without, orange)).as("%s: no validation curve, legend or marker", curve).isZero();
            assertThat(pixels(without, 0x1F77B4)).as("%s: the training curve", curve).isGreaterThan(100);
            sample("no-validation-" + curve.name().toLowerCase(java.util.Locale.ROOT) + ".png", png);
        }
        byte[] one = Charts.trainingCurve(none.subList(0, 1), 1, Charts.Curve.LOSS, null);
        decode(one);
        sample("no-validation-one-epoch.png", one);
    }

    @Test
    void confusionHeatmap(@TempDir Path tmp) throws IOException {
        int[][] confusion = {
            {40, 3, 2, 1, 0, 2, 1, 1},
            {2, 35, 1, 3, 0, 1, 5, 3},
            {4, 0, 38, 0, 2, 5, 0, 1},
            {1, 4, 0, 44, 3, 0, 1, 0},
            {3, 1, 4, 5, 30, 2, 0, 5},
            {0, 1, 6, 0, 1, 36, 0, 6},
            {2, 6, 0, 2, 0, 0, 37, 3},
            {0, 0, 0, 0, 0, 0, 0, 0},
        };
        Metrics m = Metrics.ofConfusion(confusion);
        Path file = tmp.resolve("confusion.png");
        Reports.writeConfusion(file, m, "Test set, speaker split, djl");
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isBetween(700, 1400);
        assertThat(image.getHeight()).isBetween(700, 1400);
        sample("confusion.png", Files.readAllBytes(file));
    }
}
