package ser.runner.corpus;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import ser.api.CorpusAdapter;

/**
 * Arbitrary paths through every naming convention and the zip entry normalizer: no exception,
 * and every answer well-formed (lower-case non-empty labels, known genders, no escaping entry
 * names). Seeds in {@code CorpusNamesFuzzTestInputs/recognize/}; see FUZZING.md to fuzz.
 */
class CorpusNamesFuzzTest {

    private static final CorpusScanner SCANNER = new CorpusScanner(TestConfig.defaults(), CorpusAdaptersTest.providers());
    private static final Set<String> CORPORA = Set.of("ravdess", "tess", "savee", "crema-d", "emov-db", "avv");

    /**
     * Without JAZZER_FUZZ the seeds run as plain regression tests: no agent (installing it and
     * re-checking every loaded class took a minute or more here, for nothing: a finding is an
     * exception, no sanitizer is needed to see it). When fuzzing, hooks go only into our own
     * classes. Explicit -Djazzer.* settings win.
     */
    @BeforeAll
    static void configureJazzer() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if ((fuzz == null || fuzz.isEmpty() || fuzz.equals("0")) && System.getProperty("jazzer.hooks") == null) {
            System.setProperty("jazzer.hooks", "false");
        }
        if (System.getProperty("jazzer.custom_hook_includes") == null) {
            System.setProperty("jazzer.custom_hook_includes", "ser.**");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void recognize(FuzzedDataProvider data) {
        String path = data.consumeRemainingAsString();
        Optional<CorpusAdapter.Recognition> r = SCANNER.recognize(path);
        if (r.isPresent() && r.get() instanceof CorpusAdapter.Labeled l) {
            require(CORPORA.contains(l.corpus()), "corpus", l);
            require(!l.speaker().isBlank(), "speaker", l);
            require(!l.sourceLabel().isBlank() && l.sourceLabel().equals(l.sourceLabel().toLowerCase(Locale.ROOT)), "label", l);
            require(l.gender().isEmpty() || l.gender().get().equals("male") || l.gender().get().equals("female"), "gender", l);
            require(SCANNER.labels().map(l.sourceLabel()).isPresent(), "emotion", l);
        } else if (r.isPresent() && r.get() instanceof CorpusAdapter.Excluded x) {
            require(CORPORA.contains(x.corpus()) && !x.reason().isBlank(), "exclusion", x);
        }
        String entry = CorpusScanner.normalizeEntry(path);
        if (entry != null) {
            require(!entry.startsWith("/") && !entry.equals("..") && !entry.startsWith("../") && !entry.contains("/../")
                    && !entry.endsWith("/.."), "normalized entry", entry);
        }
    }

    private static void require(boolean ok, String what, Object value) {
        if (!ok) {
            throw new IllegalStateException("bad " + what + ": " + value);
        }
    }
}
