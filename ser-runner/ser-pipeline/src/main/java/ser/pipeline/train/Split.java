package ser.pipeline.train;

import java.util.List;
import ser.pipeline.train.TrainSettings.SplitKind;

/**
 * Which utterances (indices into a feature set) train, validate (early stopping) and test a model.
 * The validation part is empty when {@code ser.train.validation-fraction = 0}.
 *
 * @param kind                speaker (no speaker in two parts) or random (by utterance)
 * @param seed                the seed the assignment was drawn with
 * @param train               indices, ascending
 * @param validation          indices, ascending; empty without a validation part
 * @param test                indices, ascending
 * @param trainSpeakers       speaker keys in the train part, sorted
 * @param validationSpeakers  speaker keys in the validation part, sorted
 * @param testSpeakers        speaker keys in the test part, sorted
 * @param augmentedTrain      how many of {@code train} are augmented copies ({@code ser.extract.augment});
 *                            copies are never in validation or test
 */
public record Split(
        SplitKind kind,
        long seed,
        int[] train,
        int[] validation,
        int[] test,
        List<String> trainSpeakers,
        List<String> validationSpeakers,
        List<String> testSpeakers,
        int augmentedTrain) {

    /** A split without augmented copies. */
    public Split(SplitKind kind, long seed, int[] train, int[] validation, int[] test, List<String> trainSpeakers,
            List<String> validationSpeakers, List<String> testSpeakers) {
        this(kind, seed, train, validation, test, trainSpeakers, validationSpeakers, testSpeakers, 0);
    }

    public Split {
        train = train.clone();
        validation = validation.clone();
        test = test.clone();
        trainSpeakers = List.copyOf(trainSpeakers);
        validationSpeakers = List.copyOf(validationSpeakers);
        testSpeakers = List.copyOf(testSpeakers);
    }

    /** Part names, as in split.csv. */
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    public static final String TEST = "test";

    /** Whether a validation part exists ({@code ser.train.validation-fraction} > 0). */
    public boolean hasValidation() {
        return validation.length > 0;
    }

    /** One line for the console. */
    public String describe() {
        return kind.id() + " split (seed " + seed + "): train " + train.length + " utterances"
                + (augmentedTrain > 0 ? " (" + augmentedTrain + " of them augmented copies)" : "") + " / " + trainSpeakers.size()
                + " speakers, " + (hasValidation() ? "validation " + validation.length + " / " + validationSpeakers.size()
                : "no validation part") + ", test " + test.length
                + " / " + testSpeakers.size() + (kind == SplitKind.RANDOM ? " (speakers overlap: scores are optimistic)" : "");
    }
}
