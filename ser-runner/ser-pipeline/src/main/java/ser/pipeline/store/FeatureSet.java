package ser.pipeline.store;

import java.util.List;

/**
 * An extracted features folder ({@code nppdp.csv}, {@code nppdp.index.csv} and the sequence
 * store), as train and evaluate read it. Rows are in manifest order.
 */
public interface FeatureSet {

    FeatureSchema schema();

    /** One entry per utterance, row-aligned with nppdp.csv. */
    List<UtteranceInfo> utterances();

    /** Frame features of utterance {@code index}: {@code [T][schema.frameColumns().size()]}. */
    float[][] sequence(int index);

    /** The utterance's nppdp.csv feature row: {@code [schema.utteranceColumns().size()]}. */
    float[] utteranceVector(int index);
}
