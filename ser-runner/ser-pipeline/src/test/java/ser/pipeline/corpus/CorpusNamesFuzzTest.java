package ser.pipeline.corpus;

import ser.pipeline.prepare.CorpusScanner;

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
    private static final Set<String> CORPORA = Set.of("ravdess", "tess", "savee", "crema-d", "emov-db", "avv", "emo-db", "esd",
            "emovo", "urdu", "shemo", "cafe", "jl-corpus", "subesco");

    @BeforeAll
    static void configureJazzer() {
        ser.pipeline.fuzz.JazzerModes.configure();
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
