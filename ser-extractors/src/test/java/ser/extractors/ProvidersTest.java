package ser.extractors;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.api.FrameGrid;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProvidersTest {

    @Test
    void serviceLoaderFindsTheFiveProviders() {
        List<String> names = new ArrayList<>();
        for (FeatureExtractorProvider p : ServiceLoader.load(FeatureExtractorProvider.class)) {
            names.add(p.name());
            assertThat(p.description()).isNotBlank().doesNotContain("\n");
        }
        assertThat(names).containsExactly("mfcc", "ht-apen", "pitch", "energy", "spectral", "spectral-balance",
                "formants", "voice-quality");
    }

    @Test
    void columnsAndUtteranceValuesOfTheDefaults() {
        FrameGrid grid = Contexts.defaultGrid(16000);
        FeatureExtractor mfcc = Contexts.create("mfcc", grid);
        // the runner prefixes "<name>_": mfcc_1 .. mfcc_20, mfcc_delta_1, pitch_f0, spectral_centroid
        assertThat(mfcc.columns()).hasSize(20).startsWith("1", "2").endsWith("20");
        assertThat(mfcc.utteranceColumns()).isEmpty();
        assertThat(Contexts.create("mfcc", grid, "deltas = true, delta-deltas = true").columns())
                .hasSize(60).contains("delta_1", "delta2_20");
        assertThat(Contexts.create("ht-apen", grid).columns()).containsExactly("apen");
        assertThat(Contexts.create("ht-apen", grid).utteranceColumns()).containsExactly("apen");
        assertThat(Contexts.create("ht-apen", grid, "utterance = false").utteranceColumns()).isEmpty();
        assertThat(Contexts.create("pitch", grid).columns()).containsExactly("f0", "voicing_prob", "voiced");
        assertThat(Contexts.create("pitch", grid).utteranceColumns()).containsExactly("voiced_fraction",
                "f0_mean_hz", "f0_std_hz", "f0_median_hz", "f0_mean_st", "f0_std_st", "f0_range_st");
        assertThat(Contexts.create("energy", grid).columns()).containsExactly("rms", "log_energy");
        assertThat(Contexts.create("energy", grid).utteranceColumns()).containsExactly("rms", "peak");
        assertThat(Contexts.create("spectral", grid).columns()).containsExactly("centroid", "bandwidth", "rolloff",
                "flatness", "contrast_1", "contrast_2", "contrast_3", "contrast_4", "contrast_5", "contrast_6",
                "contrast_7", "flux", "zcr");
    }

    @Test
    void everyDefaultHasAOneLineCommentAbove() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/reference.conf")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] lines = text.split("\n");
        int keys = 0;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].trim();
            if (l.matches("[a-z][a-z0-9-]* = .*")) {
                keys++;
                assertThat(lines[i - 1].trim()).as("comment above '%s'", l).startsWith("#");
            }
        }
        assertThat(keys).isEqualTo(ConfigFactory.parseResources("reference.conf").getConfig("ser.extractors")
                .entrySet().size());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "mfcc     | n-mfcc = 0                | ser.extractors.mfcc.n-mfcc must be > 0",
        "mfcc     | n-mels = -1               | ser.extractors.mfcc.n-mels must be > 0",
        "mfcc     | n-mfcc = 40, n-mels = 30  | ser.extractors.mfcc.n-mfcc must be <= ser.extractors.mfcc.n-mels",
        "mfcc     | mode = kaldi              | ser.extractors.mfcc.mode must be one of",
        "mfcc     | fmax = 9000               | ser.extractors.mfcc.fmax must be <= the Nyquist",
        "mfcc     | fmin = 5000, fmax = 4000  | ser.extractors.mfcc.fmin must be < fmax",
        "mfcc     | n-mfcc = twenty           | ser.extractors.mfcc.n-mfcc must be an integer",
        "mfcc     | delta-width = 4           | ser.extractors.mfcc.delta-width must be an odd integer >= 3",
        "mfcc     | mel-norm = l2             | ser.extractors.mfcc.mel-norm must be one of",
        "mfcc     | top-db = -1               | ser.extractors.mfcc.top-db must be >= 0",
        "mfcc     | deltas = maybe            | ser.extractors.mfcc.deltas must be true or false",
        "ht-apen  | m = 0                     | ser.extractors.ht-apen.m must be > 0",
        "ht-apen  | r-factor = 0              | ser.extractors.ht-apen.r-factor must be > 0",
        "ht-apen  | window-length = 6         | ser.extractors.ht-apen.window-length must hold more than m + 1",
        "ht-apen  | envelope-rate = 20000     | ser.extractors.ht-apen.envelope-rate must be <=",
        "ht-apen  | utterance-rate = 20000    | ser.extractors.ht-apen.utterance-rate must be <=",
        "ht-apen  | utterance-max-length = 2  | ser.extractors.ht-apen.utterance-max-length must be > m + 1",
        "pitch    | fmin = 0                  | ser.extractors.pitch.fmin must be > 0",
        "pitch    | fmin = 300, fmax = 200    | ser.extractors.pitch.fmax must be > fmin",
        "pitch    | fmax = 8000               | ser.extractors.pitch.fmax must be below the Nyquist",
        "pitch    | voicing-threshold = 1.5   | ser.extractors.pitch.voicing-threshold must lie in (0.0, 1.0)",
        "pitch    | trough-threshold = 0      | ser.extractors.pitch.trough-threshold must lie in (0.0, 1.0)",
        "pitch    | median-filter = 4         | ser.extractors.pitch.median-filter must be 0 (off) or odd",
        "pitch    | silence-db = 10           | ser.extractors.pitch.silence-db must be < 0",
        "energy   | log-floor = 0             | ser.extractors.energy.log-floor must be > 0",
        "spectral | rolloff-percent = 1.2     | ser.extractors.spectral.rolloff-percent must lie in (0.0, 1.0)",
        "spectral | contrast-bands = 7        | ser.extractors.spectral.contrast-bands is too many",
        "spectral | contrast-quantile = 0     | ser.extractors.spectral.contrast-quantile must lie in (0.0, 1.0)",
        "spectral | bandwidth-p = 0           | ser.extractors.spectral.bandwidth-p must be > 0",
        "spectral | zcr-threshold = -1        | ser.extractors.spectral.zcr-threshold must be >= 0",
    })
    void invalidSettingsNameTheFullKey(String name, String override, String message) {
        FrameGrid grid = Contexts.defaultGrid(16000);
        assertThatThrownBy(() -> Contexts.create(name, grid, override))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aMissingBlockOrKeyIsReportedNotAnNpe() {
        FeatureExtractorProvider p = Contexts.provider("energy");
        assertThatThrownBy(() -> p.create(new ExtractorContext(Contexts.defaultGrid(16000), ConfigFactory.empty())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ser.extractors.energy.log-floor is not set");
    }

    @Test
    void providersAreStatelessFactories() {
        FeatureExtractorProvider p = Contexts.provider("mfcc");
        var ctx = new ExtractorContext(Contexts.defaultGrid(16000), Contexts.settings("mfcc", null));
        assertThat(p.create(ctx)).isNotSameAs(p.create(ctx));
    }
}
