package ser.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import ser.api.Emotion;
import ser.pipeline.audio.TestWav;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;

/**
 * Generates the scale figures' input (module README): N clips of 1 s, 16 kHz 16-bit mono, a
 * seeded tone plus noise each, in 100 folders, and their manifest.csv. Not a test: run as
 * {@code java -cp ... ser.spark.ScaleClips DIR N}, into a scratch folder (never the repository).
 */
public final class ScaleClips {

    private ScaleClips() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int rate = 16_000;
        List<ManifestRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SplittableRandom random = new SplittableRandom(i);
            double[] x = TestWav.sine(100 + random.nextInt(300), rate, 1.0, 0.3 + 0.3 * random.nextDouble());
            for (int k = 0; k < x.length; k++) {
                x[k] += 0.05 * (random.nextDouble() * 2 - 1);
            }
            Path file = TestWav.pcm(16, rate, x).write(dir.resolve(String.format("d%02d/clip%06d.wav", i % 100, i)));
            Emotion e = Emotion.ofIndex(i % Emotion.COUNT);
            rows.add(new ManifestRow("scale/clip" + i, file.toString(), "scale", "spk" + (i % 20), Optional.empty(), e.id(), e,
                    1.0, rate));
        }
        Files.createDirectories(dir);
        Manifest.write(dir.resolve("manifest.csv"), rows);
    }
}
