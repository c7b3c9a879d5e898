package ser.pipeline.corpus;

import ser.pipeline.prepare.CorpusScanner;

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
public class CorpusAdaptersTest {

    private static final CorpusScanner SCANNER = new CorpusScanner(TestConfig.defaults(), providers());

    public static List<CorpusAdapterProvider> providers() {
        return ServiceLoader.load(CorpusAdapterProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.getClass().getPackageName().equals("ser.pipeline.corpus")).toList();
    }

    @Test
    void fourteenProvidersAreRegisteredStrictFirst() {
        Map<String, Integer> byName = providers().stream()
                .collect(Collectors.toMap(CorpusAdapterProvider::name, CorpusAdapterProvider::priority));
        assertThat(byName).containsOnlyKeys("ravdess", "tess", "savee", "crema-d", "emov-db", "avv", "emo-db", "esd", "emovo",
                "urdu", "shemo", "cafe", "jl-corpus", "subesco");
        assertThat(SCANNER.adapterOrder()).containsExactly("ravdess", "crema-d", "emo-db", "esd", "emovo", "urdu", "tess",
                "shemo", "cafe", "jl-corpus", "subesco", "savee", "emov-db", "avv");
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
        "EMO-DB/wav/03a01Fa.wav, emo-db, 03, male, happiness",
        "08a02Wb.wav, emo-db, 08, female, anger",
        "09b03Lc.wav, emo-db, 09, female, boredom",
        "10a04Ea.wav, emo-db, 10, male, disgust",
        "11b09Ad.wav, emo-db, 11, male, fear",
        "12a05Ta.wav, emo-db, 12, male, sadness",
        "13b10Na.wav, emo-db, 13, female, neutral",
        "14a07wa.WAV, emo-db, 14, female, anger",
        "15a01Nb.wav, emo-db, 15, male, neutral",
        "16b01Fc.wav, emo-db, 16, female, happiness",
        "ESD/0011/Angry/0011_000351.wav, esd, 0011, '', angry",
        "0001/Happy/0001_000701.wav, esd, 0001, '', happy",
        "0020/Surprise/evaluation/0020_001701.wav, esd, 0020, '', surprise",
        "x/0015/neutral/train/0015_000001.wav, esd, 0015, '', neutral",
        "Sad/0010_001100.wav, esd, 0010, '', sad",
        "EMOVO/f1/dis-f1-b1.wav, emovo, f1, female, disgust",
        "gio-m2-l3.wav, emovo, m2, male, joy",
        "NEU-F3-N5.wav, emovo, f3, female, neutral",
        "pau-m1-d2.wav, emovo, m1, male, fear",
        "rab-m3-b2.wav, emovo, m3, male, anger",
        "sor-f2-l1.wav, emovo, f2, female, surprise",
        "tri-f1-n1.wav, emovo, f1, female, sadness",
        "URDU/Angry/SM1_F10_A010.wav, urdu, SM1, male, angry",
        "Happy/SF3_F2_H033.wav, urdu, SF3, female, happy",
        "neutral/sm27_f5_n1.wav, urdu, SM27, male, neutral",
        "Sad/SF11_F1_S100.wav, urdu, SF11, female, sad",
        "female/F01A01.wav, shemo, F01, female, anger",
        "M02F01.wav, shemo, M02, male, fear",
        "F14H09.wav, shemo, F14, female, happiness",
        "m56n123.wav, shemo, M56, male, neutral",
        "F03S02.wav, shemo, F03, female, sadness",
        "M10W11.wav, shemo, M10, male, surprise",
        "CaFE/Colère/Faible/01-C-1-1.wav, cafe, 01, male, anger",
        "02-D-2-6.wav, cafe, 02, female, disgust",
        "Joie/Fort/11-J-2-3.wav, cafe, 11, male, happiness",
        "Neutre/12-N-1-4.wav, cafe, 12, female, neutral",
        "05-p-1-5.wav, cafe, 05, male, fear",
        "06-S-2-2.wav, cafe, 06, female, surprise",
        "07-T-1-1.wav, cafe, 07, male, sadness",
        "JL/male1_angry_5a_1.wav, jl-corpus, male1, male, angry",
        "female2_excited_10b_2.wav, jl-corpus, female2, female, excited",
        "FEMALE1_Sad_1a_1.wav, jl-corpus, female1, female, sad",
        "male2_anxious_3b_1.wav, jl-corpus, male2, male, anxious",
        "female1_encouraging_12a_2.wav, jl-corpus, female1, female, encouraging",
        "male1_neutral_15_1.wav, jl-corpus, male1, male, neutral",
        "SUBESCO/F_02_MONIKA_S_1_ANGRY_1.wav, subesco, F_02_MONIKA, female, angry",
        "M_10_RAFI_S_10_SURPRISE_5.wav, subesco, M_10_RAFI, male, surprise",
        "f_01_nila_s_3_neutral_2.wav, subesco, F_01_NILA, female, neutral",
        "M_05_X_S_7_DISGUST_4.wav, subesco, M_05_X, male, disgust",
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
        "03-01-05-01-02-01-12.txt", "OAF_back.wav", "ZAF_back_angry.wav", "OAF_back_angry_extra.wav",
        "DC_x01.wav", "XX_a01.wav", "a01.wav", "Other/a01.wav", "DC_a1.wav",
        "1001_DFA_ANG.wav", "1001_DFA_XYZ_XX.wav", "100_DFA_ANG_XX.wav", "1001_DF_ANG_XX.wav",
        "bea_Happy/x.wav", "alice_Angry/x.wav", "bea_Amused.wav",
        "Male/x.wav", "other/ANGRY/x.wav", "male/x/y/z.wav", "male/ANGRY1/x.wav", "male/ANGRY/x.txt",
        "noext", "''", ".wav", "/", "a//b/.wav",
        "03a01Xa.wav", "03a01F.wav", "3a01Fa.wav", "03a1Fa.wav", "03a01Fab.wav", "03-a01Fa.wav",
        "0011_000351.wav", "0011/Bored/0011_000351.wav", "Angry/011_000351.wav", "Angry/0011_00351.wav", "train/0011_000351.wav",
        "Angry/train/x/0011_000351.wav",
        "dis-x1-b1.wav", "bor-f1-b1.wav", "dis-f1.wav", "dis_f1_b1.wav", "dis-f12-b1.wav",
        "SM1_F10_A010.wav", "Bored/SM1_F10_A010.wav", "Angry/XM1_F10_A010.wav", "Angry/SM1_A010.wav", "Angry/SM_F10_A010.wav",
        "X01A01.wav", "F01Z01.wav", "F1A01.wav", "F01A1.wav", "F01A0001.wav",
        "01-X-1-1.wav", "01-C-3-1.wav", "01-C-1-7.wav", "1-C-1-1.wav", "01-C-1.wav",
        "male1_bored_5a_1.wav", "man1_angry_5a_1.wav", "male_angry_5a_1.wav", "male1_angry_5a.wav",
        "F_02_MONIKA_S_1_BORED_1.wav", "X_02_MONIKA_S_1_ANGRY_1.wav", "F_02_MONIKA_1_ANGRY_1.wav", "F_02_S_1_ANGRY_1.wav",
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
        "04a01Fa.wav | emo-db | speaker 04 is not an EMO-DB speaker (03, 08, 09, 10, 11, 12, 13, 14, 15, 16)",
        "0021/Angry/0021_000351.wav | esd | speaker 0021 is outside ESD's 0001-0020",
        "Angry/0000_000001.wav | esd | speaker 0000 is outside ESD's 0001-0020",
        "dis-f4-b1.wav | emovo | speaker f4 is not an EMOVO speaker (f1-f3, m1-m3)",
        "Angry/SM1_F10_H010.wav | urdu | folder Angry disagrees with the emotion letter H of the file name",
        "13-C-1-1.wav | cafe | actor 13 is outside CaFE's 01-12",
        "00-C-1-1.wav | cafe | actor 00 is outside CaFE's 01-12",
        "male3_angry_5a_1.wav | jl-corpus | speaker male3 is not a JL-Corpus speaker (male1, male2, female1, female2)",
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
                "amused", "disgusted", "sleepy", // EmoV-DB
                "boredom", // EMO-DB
                "joy", // EMOVO
                "excited")) { // JL-Corpus
            assertThat(map.names(label)).as(label).isTrue();
        }
        assertThat(map.map("boredom")).contains(ser.api.Emotion.OTHERS);
        assertThat(map.map("joy")).contains(ser.api.Emotion.HAPPY);
        assertThat(map.map("excited")).contains(ser.api.Emotion.OTHERS);
    }

    /** JL-Corpus's secondary emotions follow ser.labels.unmapped: others by default, left out with skip. */
    @Test
    void jlSecondaryEmotionsFollowUnmapped() {
        LabelMap defaults = LabelMap.fromConfig(TestConfig.defaults());
        LabelMap skipping = LabelMap.fromConfig(TestConfig.with("ser.labels.unmapped = skip"));
        for (String label : List.of("anxious", "apologetic", "assertive", "concerned", "encouraging")) {
            assertThat(defaults.names(label)).as(label).isFalse();
            assertThat(defaults.map(label)).as(label).contains(ser.api.Emotion.OTHERS);
            assertThat(skipping.map(label)).as(label).isEmpty();
        }
    }

    @Test
    void emoDbSpeakerListHasFiveMenAndFiveWomen() {
        assertThat(EmoDbCorpus.SPEAKERS).hasSize(10);
        assertThat(EmoDbCorpus.SPEAKERS.values().stream().filter("male"::equals).count()).isEqualTo(5);
    }
}
