package ser.extractors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.api.FrameGrid;

import java.util.ServiceLoader;

/** Builds extractors as the runner would: reference.conf defaults plus optional overrides. */
final class Contexts {

    private Contexts() {
    }

    static Config settings(String name, String overrides) {
        Config ref = ConfigFactory.parseResources("reference.conf").resolve();
        Config block = ref.getConfig("ser.extractors.\"" + name + "\"");
        return ConfigFactory.parseString(overrides == null ? "" : overrides).withFallback(block).resolve();
    }

    static FeatureExtractorProvider provider(String name) {
        for (FeatureExtractorProvider p : ServiceLoader.load(FeatureExtractorProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no provider " + name);
    }

    static FeatureExtractor create(String name, FrameGrid grid, String overrides) {
        return provider(name).create(new ExtractorContext(grid, settings(name, overrides)));
    }

    static FeatureExtractor create(String name, FrameGrid grid) {
        return create(name, grid, null);
    }

    static FrameGrid librosaGrid(int rate) {
        return new FrameGrid(rate, 2048, 512, true);
    }

    static FrameGrid defaultGrid(int rate) {
        return new FrameGrid(rate, 512, 160, true);
    }
}
