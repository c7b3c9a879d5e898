package ser.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.Emotion;
import ser.pipeline.audio.TestWav;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.store.FeatureSet;
import ser.pipeline.store.FeatureStore;
import ser.pipeline.plugins.TestPluginJars;

/**
 * A third party's extractor, compiled and jarred at test time, dropped into a plugins folder:
 * {@code ser plugins} lists it and {@code ser extract} uses it, with its settings validated
 * against the jar's own reference.conf, and no change to our code.
 */
class ThirdPartyExtractorTest {

    @Test
    void aDroppedInExtractorJarIsListedAndUsedByExtract(@TempDir Path dir) throws Exception {
        Path plugins = dir.resolve("plugins");
        TestPluginJars.zeroCrossingExtractorJar(dir, plugins);
        Path manifest = manifestOfTones(dir);
        String pluginsDir = "ser.plugins.dir=" + plugins;

        CliRun listed = CliRun.of("plugins", "--set", pluginsDir);
        assertThat(listed.out()).contains("zcr-count").contains("zcr-count-plugin.jar");

        Path features = dir.resolve("features");
        CliRun extracted = CliRun.of("extract", "--manifest", manifest.toString(), "--out", features.toString(),
                "--set", pluginsDir, "--set", "ser.extract.extractors=[zcr-count, energy]",
                "--set", "ser.extractors.zcr-count.scale=0.5", "--set", "ser.extract.threads=1");
        assertThat(extracted.exitCode()).as(extracted.err()).isZero();

        FeatureSet set = FeatureStore.open(features);
        assertThat(set.schema().frameColumns()).startsWith("zcr-count_crossings");
        assertThat(set.schema().utteranceColumns()).contains("zcr-count_crossings_mean", "zcr-count_total");
        int crossings = set.schema().frameColumns().indexOf("zcr-count_crossings");
        // A 1 kHz tone at 16 kHz crosses zero twice per period: 2 * 1000 * 512/16000 = 64 per
        // full frame, halved by the configured scale.
        float[][] frames = set.sequence(0);
        assertThat(frames[frames.length / 2][crossings]).isCloseTo(32f, org.assertj.core.data.Offset.offset(1.5f));
        assertThat(Files.readAllLines(features.resolve("nppdp.csv")).get(0)).startsWith("zcr-count_crossings_mean,");
    }

    @Test
    void aMistypedPluginSettingIsRejectedNamingTheKey(@TempDir Path dir) throws Exception {
        Path plugins = dir.resolve("plugins");
        TestPluginJars.zeroCrossingExtractorJar(dir, plugins);
        CliRun run = CliRun.of("extract", "--manifest", manifestOfTones(dir).toString(), "--out", dir.resolve("f").toString(),
                "--set", "ser.plugins.dir=" + plugins, "--set", "ser.extractors.zcr-count.scael=2");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("ser.extractors.zcr-count.scael: unknown setting (did you mean ser.extractors.zcr-count.scale?)");
        assertThat(dir.resolve("f")).doesNotExist();
    }

    private static Path manifestOfTones(Path dir) throws Exception {
        List<ManifestRow> rows = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path wav = dir.resolve("tone" + i + ".wav");
            Files.write(wav, TestWav.pcm(16, 16000, TestWav.sine(1000, 16000, 0.5, 0.5)).bytes());
            rows.add(new ManifestRow("test/tone" + i, wav.toString(), "test", "s" + i, Optional.empty(), "neutral",
                    Emotion.NEUTRAL, 0.5, 16000));
        }
        Path manifest = dir.resolve("manifest.csv");
        Manifest.write(manifest, rows);
        return manifest;
    }
}
