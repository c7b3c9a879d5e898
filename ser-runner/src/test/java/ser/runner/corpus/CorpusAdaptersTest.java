package ser.runner.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import ser.api.CorpusAdapter;
import ser.api.CorpusAdapter.Excluded;
import ser.api.CorpusAdapter.Labeled;
import ser.api.CorpusAdapterProvider;

/** Each naming convention on synthetic names, recognized through the registered providers. */
class CorpusAdaptersTest {

    private static final CorpusScanner SCANNER = new CorpusScanner(TestConfig.defaults(), providers());

    static List<CorpusAdapterProvider> providers() {
        return ServiceLoader.load(CorpusAdapterProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.getClass().getPackageName().equals("ser.runner.corpus")).toList();
    }

    @Test
    void sixProvidersAreRegisteredStrictFirst() {
        Map<String, Integer> byName = providers().stream()
                .collect(Collectors.toMap(CorpusAdapterProvider::name, CorpusAdapterProvider::priority));
        assertThat(byName).containsOnlyKeys("ravdess", "tess", "savee", "crema-d", "emov-db", "avv");
        assertThat(SCANNER.adapterOrder()).containsExactly("ravdess", "crema-d", "tess", "savee", "emov-db", "avv");
    }

    /** path, corpus, speaker, gender ("" = none), source label. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "Actor_12/03-01-05-01-02-01-12.wav, ravdess, 12, female, angry",
        "03-01-01-01-01-01-01.wav, ravdess, 01, male, neutral",
        "x/03-01-02-02-02-02-23.WAV, ravdess, 23, male, calm",
        "03-01-08-01-01-01-24.wav, ravdess, 24, female, surprised",
        "TESS/OAF_angry/OAF_back_angry.wav, tess, OAF, female, angry",
        "YAF_pleasant_surprised/YAF_dog_ps.wav, tess, YAF, female, ps",
        "oaf_Bite_Fear.wav, tess, OAF, female, fear",
        "ALL/DC_a01.wav, savee, DC, male, anger",
        "KL_su15.wav, savee, KL, male, surprise",
        "JE_sa03.wav, savee, JE, male, sadness",
        "AudioData/JK/h07.wav, savee, JK, male, happiness",
        "AudioData/dc/n30.wav, savee, DC, male, neutral",
        "AudioWAV/1001_DFA_ANG_XX.wav, crema-d, 1001, male, anger",
        "1002_IEO_HAP_HI.wav, crema-d, 1002, female, happy",
        "1091_TIE_SAD_LO.wav, crema-d, 1091, female, sad",
        "1090_IWW_FEA_MD.wav, crema-d, 1090, male, fear",
        "1050_ITS_DIS_XX.wav, crema-d, 1050, male, disgust",
        "1076_MTI_NEU_XX.wav, crema-d, 1076, female, neutral",
        "EmoV-DB/bea_Amused/amused_1-15_0001.wav, emov-db, bea, female, amused",
        "jenie_Angry/anger_1-28_0002.wav, emov-db, jenie, female, angry",
        "sam_Disgusted/x.wav, emov-db, sam, male, disgusted",
        "josh_Sleepy/sleepiness_337-364_0337.wav, emov-db, josh, male, sleepy",
        "BEA_NEUTRAL/n.wav, emov-db, bea, female, neutral",
        "AVV_dataset/Male/ANGRY/spk03_angry_01.wav, avv, spk03, male, angry",
        "female/Happy/s12-happy-3.wav, avv, s12, female, happy",
        "F/PLEASANT_SURPRISE/clip7.wav, avv, unknown, female, pleasant surprise",
        "m/sad/sad_001.wav, avv, unknown, male, sad",
        "root/x/MALE/Neutral/happy-2.wav, avv, unknown, male, neutral",
    })
    void recognizes(String path, String corpus, String speaker, String gender, String label) {
        Optional<CorpusAdapter.Recognition> r = SCANNER.recognize(path);
        assertThat(r).containsInstanceOf(Labeled.class);
        assertThat(r.get()).isEqualTo(new Labeled(corpus, speaker, gender.isEmpty() ? Optional.empty() : Optional.of(gender), label));
    }

    /** Names that follow no convention. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({
        "random_name.wav", "03-01-05-01-02-01.wav", "03-01-05-01-02-01-12-99.wav", "3-1-5-1-2-1-12.wav",
        "03-01-05-01-02-01-12.mp3", "OAF_back.wav", "ZAF_back_angry.wav", "OAF_back_angry_extra.wav",
        "DC_x01.wav", "XX_a01.wav", "a01.wav", "Other/a01.wav", "DC_a1.wav",
        "1001_DFA_ANG.wav", "1001_DFA_XYZ_XX.wav", "100_DFA_ANG_XX.wav", "1001_DF_ANG_XX.wav",
        "bea_Happy/x.wav", "alice_Angry/x.wav", "bea_Amused.wav",
        "Male/x.wav", "other/ANGRY/x.wav", "male/x/y/z.wav", "male/ANGRY1/x.wav", "male/ANGRY/x.txt",
        "noext", "''", ".wav", "/", "a//b/.wav",
    })
    void ignores(String path) {
        assertThat(SCANNER.recognize(path)).isEmpty();
    }

    /** Names of a convention's shape that it leaves out, with the reason. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "03-02-05-01-02-01-12.wav | ravdess | song (vocal channel 02); set ser.corpora.ravdess.include-song = true to use songs",
        "01-01-05-01-02-01-12.wav | ravdess | modality 01 (audio-video), not audio-only (03)",
        "02-01-05-01-02-01-12.wav | ravdess | modality 02 (video-only), not audio-only (03)",
        "03-01-09-01-02-01-12.wav | ravdess | unknown emotion code 09 (01-08)",
        "03-03-05-01-02-01-12.wav | ravdess | unknown vocal channel 03 (01 speech, 02 song)",
        "03-01-05-03-02-01-12.wav | ravdess | unknown intensity 03 (01 or 02)",
        "03-01-05-01-02-01-00.wav | ravdess | actor 00 (actors are numbered from 01)",
        "OAF_back_bored.wav | tess | unknown TESS emotion word 'bored' (angry, disgust, fear, happy, neutral, ps, sad)",
        "1200_DFA_ANG_XX.wav | crema-d | speaker 1200 is outside CREMA-D's 1001-1091",
    })
    void excludes(String path, String corpus, String reason) {
        assertThat(SCANNER.recognize(path.trim())).contains(new Excluded(corpus.trim(), reason.trim()));
    }

    @Test
    void songsAreIncludedOnRequest() {
        CorpusScanner withSongs = new CorpusScanner(TestConfig.with("ser.corpora.ravdess.include-song = true"), providers());
        assertThat(withSongs.recognize("03-02-06-01-02-01-11.wav"))
                .contains(new Labeled("ravdess", "11", Optional.of("male"), "fearful"));
    }

    @Test
    void cremaDGenderTableHasTheCorpusCounts() {
        assertThat(CremaDCorpus.SEX).hasSize(91);
        assertThat(CremaDCorpus.SEX.chars().filter(c -> c == 'm').count()).isEqualTo(48);
        assertThat(CremaDCorpus.SEX.chars().filter(c -> c == 'f').count()).isEqualTo(43);
    }

    @Test
    void everyLabelOfTheBuiltInConventionsIsInTheDefaultMap() {
        LabelMap map = LabelMap.fromConfig(TestConfig.defaults());
        for (String label : List.of("neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised", // RAVDESS
                "fear", "ps", // TESS
                "anger", "happiness", "sadness", "surprise", // SAVEE, CREMA-D
                "amused", "disgusted", "sleepy")) { // EmoV-DB
            assertThat(map.names(label)).as(label).isTrue();
        }
    }
}
