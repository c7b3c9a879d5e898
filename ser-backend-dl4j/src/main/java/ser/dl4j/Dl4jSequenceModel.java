package ser.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import ser.api.ArchitectureSpec;
import ser.api.EpochMetrics;
import ser.api.ModelContext;
import ser.api.SequenceDataset;
import ser.api.SequenceModel;
import ser.api.TrainingListener;
import ser.api.TrainingResult;
import ser.api.TrainingSpec;

/**
 * The {@code dl4j} backend's model: {@link Network} (ND4J arrays, hand-written backward) trained
 * with Adam, global gradient-norm clipping, Gaussian input noise, per-epoch shuffling and early
 * stopping on the validation loss with the best weights restored. Everything random is seeded.
 */
public final class Dl4jSequenceModel implements SequenceModel {

    public static final String BACKEND = "dl4j";
    static final String MODEL_FILE = "dl4j-model.properties";
    static final String WEIGHTS_FILE = "dl4j-weights.bin";
    static final String FORMAT = "1";

    private final ArchitectureSpec spec;
    private final int features;
    private final Dl4jSettings settings;
    private final ExecutorService executor;
    private final Network net;
    private final String trainWorkspace;
    private final String inferWorkspace;
    private int threads;
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
        this.threads = context.threads();
        NativeRuntime.configure(threads, settings);
        this.executor = settings.parallelDirections() && threads >= 2 && spec.bidirectional()
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

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    private void checkDataset(SequenceDataset data, String what) {
        if (data.featureCount() != features) {
            throw new IllegalArgumentException(what + " has " + data.featureCount() + " features, the model expects " + features);
        }
        for (int i = 0; i < data.size(); i++) {
            int label = data.labels()[i];
            if (label < 0 || label >= spec.classes()) {
                throw new IllegalArgumentException(what + " sequence " + i + " has label " + label
                        + ", expected 0.." + (spec.classes() - 1));
            }
        }
    }

    @Override
    public TrainingResult fit(SequenceDataset train, SequenceDataset validation, TrainingSpec trainSpec, TrainingListener listener) {
        ensureOpen();
        checkDataset(train, "training set");
        if (train.size() == 0) {
            throw new IllegalArgumentException("training set is empty");
        }
        boolean hasValidation = validation != null && validation.size() > 0;
        if (hasValidation) {
            checkDataset(validation, "validation set");
        }
        TrainingListener sink = listener == null ? TrainingListener.NONE : listener;
        if (trainSpec.threads() != threads) {
            threads = trainSpec.threads();
            NativeRuntime.configure(threads, settings);
        }
        ParamStore store = net.store();
        Adam adam;
        Random rng;
        try (MemoryWorkspace outside = Workspaces.outside()) {
            adam = new Adam(store, settings.adamBeta1(), settings.adamBeta2(), settings.adamEpsilon());
            rng = Nd4j.getRandomFactory().getNewRandomInstance(trainSpec.seed() ^ 0x5DEECE66DL);
        }
        SplittableRandom shuffler = new SplittableRandom(trainSpec.seed());
        Network.Mode mode = new Network.Mode(true, rng, trainSpec.noiseStd());

        List<EpochMetrics> history = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        INDArray bestParams = null;
        INDArray bestState = null;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        int n = train.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int epoch = 1; epoch <= trainSpec.maxEpochs(); epoch++) {
            long start = System.nanoTime();
            double lr = trainSpec.learningRateAt(epoch);
            shuffle(perm, shuffler);
            double lossSum = 0;
            int correct = 0;
            int steps = 0;
            for (int from = 0; from < n; from += trainSpec.batchSize()) {
                int[] idx = Arrays.copyOfRange(perm, from, Math.min(n, from + trainSpec.batchSize()));
                try (MemoryWorkspace ws = Workspaces.open(trainWorkspace)) {
                    Batch batch = Batch.of(train.inputs(), idx, train.labels(), features, net.dtype());
                    INDArray probs = net.forward(batch.x(), batch.seq(), mode);
                    lossSum += net.loss(probs, batch.labels()) * idx.length;
                    correct += countCorrect(probs, batch.labels());
                    net.backward(batch.labels());
                    adam.update(store.params(), store.grads(), lr, trainSpec.clipNorm());
                }
                steps++;
            }
            double trainLoss = lossSum / n;
            double trainAcc = (double) correct / n;
            double valLoss = Double.NaN;
            double valAcc = Double.NaN;
            if (hasValidation) {
                double[] eval = evaluate(validation);
                valLoss = eval[0];
                valAcc = eval[1];
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochMetrics metrics = new EpochMetrics(epoch, trainLoss, trainAcc, valLoss, valAcc, lr, seconds, steps);
            history.add(metrics);
            sink.onEpoch(metrics);
            double monitored = hasValidation ? valLoss : trainLoss;
            if (monitored < best) {
                best = monitored;
                bestEpoch = epoch;
                try (MemoryWorkspace outside = Workspaces.outside()) {
                    bestParams = store.params().dup();
                    bestState = store.state().dup();
                }
                sinceBest = 0;
            } else {
                sinceBest++;
                if (sinceBest >= trainSpec.patience() && epoch < trainSpec.maxEpochs()) {
                    stoppedEarly = true;
                    break;
                }
            }
        }
        Workspaces.destroy(trainWorkspace);
        if (bestParams != null) {
            store.params().assign(bestParams);
            store.state().assign(bestState);
        } else {
            bestEpoch = history.size();   // loss was never finite: keep the last weights
        }
        return new TrainingResult(history, bestEpoch, stoppedEarly);
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
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

    /** Inference-mode {@code [loss (cross-entropy + L2), accuracy]} of a data set. */
    double[] evaluate(SequenceDataset data) {
        ensureOpen();
        checkDataset(data, "data set");
        double ce = 0;
        int correct = 0;
        for (int[] idx : lengthOrderedBatches(data.inputs())) {
            try (MemoryWorkspace ws = Workspaces.open(inferWorkspace)) {
                Batch batch = Batch.of(data.inputs(), idx, data.labels(), features, net.dtype());
                INDArray probs = net.forward(batch.x(), batch.seq(), Network.Mode.INFERENCE);
                for (int b = 0; b < idx.length; b++) {
                    ce -= Math.log(Math.max(probs.getDouble(b, batch.labels()[b]), 1e-30));
                }
                correct += countCorrect(probs, batch.labels());
            }
        }
        int n = data.size();
        return new double[] {ce / n + spec.denseL2() * net.denseSquaredNorm(), (double) correct / n};
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

    /** Canonical shapes by name (PyTorch layout). */
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
    public void save(Path dir) throws IOException {
        ensureOpen();
        Files.createDirectories(dir);
        Properties props = new Properties();
        props.setProperty("backend", BACKEND);
        props.setProperty("format", FORMAT);
        props.setProperty("featureCount", Integer.toString(features));
        props.setProperty("architecture", spec.toString());
        try (OutputStream out = Files.newOutputStream(dir.resolve(MODEL_FILE))) {
            props.store(out, "ser dl4j model");
        }
        Map<String, WeightsFile.Tensor> tensors = new LinkedHashMap<>();
        for (ParamStore.Entry e : net.store().entries().values()) {
            tensors.put(e.name(), new WeightsFile.Tensor(e.shape(), toFloats(net.store().get(e.name()))));
        }
        WeightsFile.write(dir.resolve(WEIGHTS_FILE), tensors);
    }

    /** Rebuilds a model written by {@link #save}; the context must describe the same network. */
    public static Dl4jSequenceModel load(Path dir, ModelContext context) throws IOException {
        Path modelFile = dir.resolve(MODEL_FILE);
        if (!Files.isRegularFile(modelFile)) {
            throw new NoSuchFileException(modelFile.toString(), null, "missing dl4j model description");
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(modelFile)) {
            props.load(in);
        }
        if (!BACKEND.equals(props.getProperty("backend"))) {
            throw new IOException(modelFile + ": backend is " + props.getProperty("backend") + ", not " + BACKEND);
        }
        if (!FORMAT.equals(props.getProperty("format"))) {
            throw new IOException(modelFile + ": unsupported format " + props.getProperty("format"));
        }
        String savedFeatures = props.getProperty("featureCount");
        if (!Integer.toString(context.featureCount()).equals(savedFeatures)) {
            throw new IOException(modelFile + ": saved for " + savedFeatures + " features, context has " + context.featureCount());
        }
        String savedSpec = props.getProperty("architecture");
        if (!context.architecture().toString().equals(savedSpec)) {
            throw new IOException(modelFile + ": saved architecture " + savedSpec + " differs from " + context.architecture());
        }
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        Map<String, WeightsFile.Tensor> tensors = WeightsFile.read(weightsFile);
        Dl4jSequenceModel model = new Dl4jSequenceModel(context);
        try {
            ParamStore store = model.net.store();
            Map<String, float[]> values = new LinkedHashMap<>();
            for (ParamStore.Entry e : store.entries().values()) {
                WeightsFile.Tensor t = tensors.get(e.name());
                if (t == null) {
                    throw new IOException(weightsFile + ": missing tensor " + e.name());
                }
                if (!Arrays.equals(t.shape(), e.shape())) {
                    throw new IOException(weightsFile + ": tensor " + e.name() + " has shape " + Arrays.toString(t.shape())
                            + ", the model needs " + Arrays.toString(e.shape()));
                }
                values.put(e.name(), t.values());
            }
            for (String name : tensors.keySet()) {
                if (!store.entries().containsKey(name)) {
                    throw new IOException(weightsFile + ": unknown tensor " + name);
                }
            }
            model.setParameters(values);
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
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
        }
    }
}
