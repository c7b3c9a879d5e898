package ser.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import ser.api.ArchitectureSpec;
import ser.api.ModelContext;
import ser.api.OptimizerSpec;
import ser.api.SequenceModel;
import ser.api.TrainingBatch;

/**
 * The {@code dl4j} backend's model: {@link Network} (ND4J arrays, hand-written backward), trained
 * step by step with Adam after global gradient-norm clipping ({@link OptimizerSpec}); the
 * training protocol is the runner's. Dropout masks come from an ND4J generator seeded from
 * {@link ModelContext#seed()}. A step with a non-finite loss or gradient norm is skipped: weights,
 * Adam's moments and the batch-norm running statistics stay as they were.
 */
public final class Dl4jSequenceModel implements SequenceModel {

    public static final String BACKEND = "dl4j";

    private final ArchitectureSpec spec;
    private final int features;
    private final Dl4jSettings settings;
    private final ExecutorService executor;
    private final Network net;
    private final String trainWorkspace;
    private final String inferWorkspace;
    private final OptimizerSpec optimizer;
    private final Network.Mode trainingMode;
    private Adam adam;
    private INDArray stateBefore;
    private boolean closed;

    /** A new float32 model initialized from {@code context.seed()}. */
    public Dl4jSequenceModel(ModelContext context) {
        this(context, DataType.FLOAT);
    }

    /** With a data type (double is used by the gradient checks). */
    Dl4jSequenceModel(ModelContext context, DataType dtype) {
        this.spec = context.architecture();
        this.features = context.featureCount();
        this.settings = Dl4jSettings.from(context.settings());
        this.optimizer = context.optimizer();
        NativeRuntime.configure(context.threads(), settings);
        this.executor = settings.parallelDirections() && context.threads() >= 2 && spec.bidirectional()
                ? Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "dl4j-gru-backward");
                    t.setDaemon(true);
                    return t;
                })
                : null;
        String id = Integer.toHexString(System.identityHashCode(this));
        this.trainWorkspace = "ser-dl4j-train-" + id;
        this.inferWorkspace = "ser-dl4j-infer-" + id;
        try (MemoryWorkspace outside = Workspaces.outside()) {
            this.net = new Network(spec, features, dtype, executor);
            net.initialize(context.seed());
            // Gaussian input noise is the runner's augmentation now: the network adds none
            Random dropout = Nd4j.getRandomFactory().getNewRandomInstance(context.seed() ^ 0x5DEECE66DL);
            this.trainingMode = new Network.Mode(true, dropout, 0);
        }
    }

    Network network() {
        return net;
    }

    Dl4jSettings settings() {
        return settings;
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public String engineVersion() {
        return "ND4J " + Nd4j.getBackend().getClass().getSimpleName() + " "
                + java.util.Objects.requireNonNullElse(Nd4j.class.getPackage().getImplementationVersion(), "1.0.0-M2.1");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    private void checkLabels(int[] labels, String what) {
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if (label < 0 || label >= spec.classes()) {
                throw new IllegalArgumentException(what + " sequence " + i + " has label " + label
                        + ", expected 0.." + (spec.classes() - 1));
            }
        }
    }

    @Override
    public StepResult trainStep(TrainingBatch trainingBatch, double learningRate) {
        ensureOpen();
        checkLabels(trainingBatch.labels(), "training batch");
        ParamStore store = net.store();
        if (adam == null) {
            try (MemoryWorkspace outside = Workspaces.outside()) {
                adam = new Adam(store, optimizer);
                stateBefore = store.state().dup();
            }
        }
        List<float[][]> inputs = trainingBatch.inputs();
        int[] all = new int[inputs.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        // running statistics move in the forward pass; kept to undo a skipped step
        stateBefore.assign(store.state());
        double loss;
        int correct;
        boolean applied = false;
        try (MemoryWorkspace ws = Workspaces.open(trainWorkspace)) {
            Batch batch = Batch.of(inputs, all, trainingBatch.labels(), features, net.dtype());
            double[] weights = null;
            if (!trainingBatch.unitWeights()) {
                weights = new double[all.length];
                for (int b = 0; b < all.length; b++) {
                    weights[b] = trainingBatch.weights()[batch.order()[b]];
                }
            }
            INDArray probs = net.forward(batch.x(), batch.seq(), trainingMode);
            loss = weights == null ? net.loss(probs, batch.labels()) : weightedLoss(probs, batch.labels(), weights);
            correct = countCorrect(probs, batch.labels());
            if (Double.isFinite(loss)) {
                net.backward(batch.labels(), weights);
                applied = Double.isFinite(adam.update(store.params(), store.grads(), learningRate));
            }
        }
        if (!applied) {
            store.state().assign(stateBefore);
        }
        return new StepResult(loss, correct, applied);
    }

    /** Mean of {@code weights[b] * crossEntropy_b} plus the L2 penalty (Keras's sample weights). */
    private double weightedLoss(INDArray probabilities, int[] labels, double[] weights) {
        double ce = 0;
        for (int b = 0; b < labels.length; b++) {
            ce -= weights[b] * Math.log(Math.max(probabilities.getDouble(b, labels[b]), 1e-30));
        }
        return ce / labels.length + spec.denseL2() * net.denseSquaredNorm();
    }

    private static int countCorrect(INDArray probs, int[] labels) {
        int correct = 0;
        INDArray arg = probs.argMax(1);
        for (int b = 0; b < labels.length; b++) {
            if (arg.getInt(b) == labels[b]) {
                correct++;
            }
        }
        return correct;
    }

    @Override
    public Evaluation evaluate(List<float[][]> inputs, int[] labels) {
        ensureOpen();
        if (inputs.size() != labels.length || labels.length == 0) {
            throw new IllegalArgumentException(inputs.size() + " sequences and " + labels.length + " labels");
        }
        checkLabels(labels, "evaluation set");
        double ce = 0;
        int correct = 0;
        for (int[] idx : lengthOrderedBatches(inputs)) {
            try (MemoryWorkspace ws = Workspaces.open(inferWorkspace)) {
                Batch batch = Batch.of(inputs, idx, labels, features, net.dtype());
                INDArray probs = net.forward(batch.x(), batch.seq(), Network.Mode.INFERENCE);
                for (int b = 0; b < idx.length; b++) {
                    ce -= Math.log(Math.max(probs.getDouble(b, batch.labels()[b]), 1e-30));
                }
                correct += countCorrect(probs, batch.labels());
            }
        }
        int n = labels.length;
        return new Evaluation(ce / n + spec.denseL2() * net.denseSquaredNorm(), (double) correct / n);
    }

    /** Batches of similar length (less padding), {@code predict-batch-size} each. */
    private List<int[]> lengthOrderedBatches(List<float[][]> inputs) {
        Integer[] order = new Integer[inputs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            if (inputs.get(i) == null || inputs.get(i).length == 0) {
                throw new IllegalArgumentException("sequence " + i + " has no frames");
            }
        }
        Arrays.sort(order, (a, b) -> Integer.compare(inputs.get(b).length, inputs.get(a).length));
        List<int[]> batches = new ArrayList<>();
        int size = settings.predictBatchSize();
        for (int from = 0; from < order.length; from += size) {
            int to = Math.min(order.length, from + size);
            int[] idx = new int[to - from];
            for (int i = from; i < to; i++) {
                idx[i - from] = order[i];
            }
            batches.add(idx);
        }
        return batches;
    }

    @Override
    public float[][] predict(List<float[][]> inputs) {
        ensureOpen();
        float[][] result = new float[inputs.size()][];
        for (int[] idx : lengthOrderedBatches(inputs)) {
            double[][] p;
            Batch batch;
            try (MemoryWorkspace ws = Workspaces.open(inferWorkspace)) {
                batch = Batch.of(inputs, idx, null, features, net.dtype());
                p = net.forward(batch.x(), batch.seq(), Network.Mode.INFERENCE).toDoubleMatrix();
            }
            for (int b = 0; b < idx.length; b++) {
                // renormalized in double so that each float row sums to 1 within float rounding
                double sum = 0;
                for (double v : p[b]) {
                    sum += v;
                }
                float[] row = new float[p[b].length];
                for (int c = 0; c < row.length; c++) {
                    row[c] = (float) (p[b][c] / sum);
                }
                result[batch.order()[b]] = row;
            }
        }
        return result;
    }

    @Override
    public Map<String, float[]> parameters() {
        ensureOpen();
        Map<String, float[]> out = new LinkedHashMap<>();
        ParamStore store = net.store();
        for (String name : store.names()) {
            out.put(name, toFloats(store.get(name)));
        }
        return out;
    }

    private static float[] toFloats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    @Override
    public Map<String, long[]> parameterShapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (ParamStore.Entry e : net.store().entries().values()) {
            out.put(e.name(), e.shape().clone());
        }
        return out;
    }

    @Override
    public void setParameters(Map<String, float[]> parameters) {
        ensureOpen();
        ParamStore store = net.store();
        for (Map.Entry<String, float[]> e : parameters.entrySet()) {
            ParamStore.Entry entry = store.entries().get(e.getKey());
            if (entry == null) {
                throw new IllegalArgumentException("unknown parameter " + e.getKey() + " (known: " + store.names() + ")");
            }
            if (e.getValue() == null || e.getValue().length != entry.length()) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " needs " + entry.length() + " values "
                        + Arrays.toString(entry.shape()) + ", got " + (e.getValue() == null ? "null" : e.getValue().length));
            }
        }
        for (Map.Entry<String, float[]> e : parameters.entrySet()) {
            ParamStore.Entry entry = store.entries().get(e.getKey());
            INDArray values = Nd4j.createFromArray(e.getValue()).reshape('c', entry.shape());
            store.get(e.getKey()).assign(values.castTo(net.dtype()));
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (executor != null) {
                executor.shutdownNow();
            }
            Workspaces.destroy(trainWorkspace);
            Workspaces.destroy(inferWorkspace);
            adam = null;
            stateBefore = null;
        }
    }
}
