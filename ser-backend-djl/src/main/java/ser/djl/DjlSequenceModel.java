package ser.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;

import ser.api.ArchitectureSpec;
import ser.api.EpochMetrics;
import ser.api.ModelContext;
import ser.api.SequenceDataset;
import ser.api.SequenceModel;
import ser.api.TrainingListener;
import ser.api.TrainingResult;
import ser.api.TrainingSpec;

/**
 * The {@link ArchitectureSpec} network on DJL's PyTorch engine (CPU), trained with a hand-written
 * loop: no DJL {@code Trainer}, {@code Block} or {@code GradientCollector}, so that nothing global
 * (DJL's one-collector-per-JVM guard, libtorch's global random generator) is involved and two
 * models can live, and train, in one JVM.
 *
 * <p>Randomness is Java's: weights from {@link ModelContext#seed()}; shuffling, noise and dropout
 * masks from three streams split off {@link TrainingSpec#seed()}. The same seeds give the same
 * history and predictions on CPU.
 *
 * <p>Training metrics ({@link EpochMetrics#loss()}, {@link EpochMetrics#accuracy()}) are running
 * averages over the epoch's steps, weighted by batch size, measured in training mode (dropout,
 * noise, batch statistics) as Keras reports them; validation metrics come from an inference pass
 * after the epoch. Both losses include the dense L2 penalty, as in Keras. Early stopping watches
 * the validation loss (the training loss if the validation set is null or empty, then validation
 * metrics are NaN); the best epoch's weights and batch-norm statistics are restored.
 *
 * <p>Non-finite values: a step whose loss or global gradient norm is not finite is skipped (no
 * weight, Adam or batch-norm statistic changes) and counted; {@link EpochMetrics#steps()} counts
 * the steps applied, so an epoch of {@code ceil(n / batchSize)} batches skipped the difference. An
 * epoch whose training loss is not finite (some batch's loss was not), in which no step could be
 * applied, or after which a weight is not finite has diverged: training stops there
 * ({@link TrainingResult#stoppedEarly()}), a one-line warning is logged, and the best epoch's
 * weights are restored. The model never ends a {@code fit} with non-finite weights.
 */
public final class DjlSequenceModel implements SequenceModel {

    /** Weights of a saved model, see {@link WeightsFile}. */
    public static final String WEIGHTS_FILE = "djl-weights.bin";
    /** What a saved model was built for (checked by {@link #load}). */
    public static final String MANIFEST_FILE = "djl-model.properties";

    private static final Logger LOG = LoggerFactory.getLogger(DjlSequenceModel.class);
    private static final int FORMAT = 1;

    private final ModelContext context;
    private final DjlSettings settings;
    private final NDManager manager;
    private final Network network;
    private boolean closed;

    DjlSequenceModel(ModelContext context) {
        this.context = Objects.requireNonNull(context, "context");
        this.settings = DjlSettings.from(context.settings());
        preferOffline();
        Engine engine = Engine.getEngine(settings.engine());
        applyInterOpThreads(settings.interOpThreads());
        NDManager m = engine.newBaseManager(Device.cpu());
        try {
            network = new Network(context.architecture(), context.featureCount(), context.seed(), m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        manager = m;
    }

    @Override
    public String backend() {
        return DjlSequenceModelProvider.NAME;
    }

    // ---------------------------------------------------------------- training

    @Override
    public TrainingResult fit(SequenceDataset train, SequenceDataset validation, TrainingSpec spec,
            TrainingListener listener) {
        ensureOpen();
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(spec, "spec");
        checkDataset(train, "training");
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        boolean validate = validation != null && validation.size() > 0;
        if (validate) {
            checkDataset(validation, "validation");
        }
        TrainingListener sink = listener == null ? TrainingListener.NONE : listener;
        SplittableRandom master = new SplittableRandom(spec.seed());
        SplittableRandom shuffleRng = master.split();
        SplittableRandom noiseRng = master.split();
        SplittableRandom dropoutRng = master.split();

        List<EpochMetrics> history = new ArrayList<>();
        Map<String, float[]> initial = network.values();
        Map<String, float[]> best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        try (ThreadCount ignored = threads(spec.threads()); Adam adam = new Adam(network.trainable())) {
            int n = train.size();
            int[] order = IntStream.range(0, n).toArray();
            for (int epoch = 1; epoch <= spec.maxEpochs(); epoch++) {
                long start = System.nanoTime();
                double lr = spec.learningRateAt(epoch);
                shuffle(order, shuffleRng);
                double lossSum = 0;
                long correct = 0;
                int steps = 0;
                int skipped = 0;
                for (int from = 0; from < n; from += spec.batchSize()) {
                    int to = Math.min(n, from + spec.batchSize());
                    List<float[][]> inputs = new ArrayList<>(to - from);
                    int[] labels = new int[to - from];
                    for (int i = from; i < to; i++) {
                        inputs.add(train.inputs().get(order[i]));
                        labels[i - from] = train.labels()[order[i]];
                    }
                    StepResult step = trainStep(inputs, labels, lr, spec.clipNorm(), noiseRng, spec.noiseStd(), dropoutRng, adam);
                    lossSum += step.loss() * labels.length;
                    correct += step.correct();
                    steps++;
                    if (!step.applied()) {
                        skipped++;
                    }
                }
                double trainLoss = lossSum / n;
                double trainAccuracy = (double) correct / n;
                Map<String, float[]> values = network.values();
                boolean weightsFinite = allFinite(values);
                boolean diverged = !Double.isFinite(trainLoss) || skipped == steps || !weightsFinite;
                Evaluation val = validate && weightsFinite ? evaluate(validation) : new Evaluation(Double.NaN, Double.NaN);
                double monitored = validate ? val.loss() : trainLoss;
                if (!diverged && monitored < bestLoss) {
                    bestLoss = monitored;
                    bestEpoch = epoch;
                    best = values;
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                EpochMetrics metrics = new EpochMetrics(epoch, trainLoss, trainAccuracy, val.loss(), val.accuracy(), lr,
                        (System.nanoTime() - start) / 1e9, steps - skipped);
                history.add(metrics);
                sink.onEpoch(metrics);
                if (diverged) {
                    LOG.warn("training diverged in epoch {} (training loss {}, {} of {} steps skipped for a non-finite loss or"
                            + " gradient{}); stopping with {}", epoch, trainLoss, skipped, steps,
                            weightsFinite ? "" : ", non-finite weights",
                            bestEpoch > 0 ? "the weights of epoch " + bestEpoch : "the last finite weights");
                    stoppedEarly = true;
                    break;
                }
                if (skipped > 0) {
                    LOG.warn("epoch {}: skipped {} of {} steps for a non-finite loss or gradient", epoch, skipped, steps);
                }
                if (sinceBest >= spec.patience() && epoch < spec.maxEpochs()) {
                    stoppedEarly = true;
                    break;
                }
            }
        }
        if (best != null && bestEpoch != history.size()) {
            network.setValues(best);
        }
        if (bestEpoch == 0) {
            // The monitored loss was never finite: keep the last weights if they are finite (skipped
            // steps leave them so), else the initial ones; report the last epoch.
            if (!allFinite(network.values())) {
                network.setValues(initial);
            }
            bestEpoch = history.size();
        }
        return new TrainingResult(history, bestEpoch, stoppedEarly);
    }

    private static boolean allFinite(Map<String, float[]> values) {
        for (float[] a : values.values()) {
            for (float v : a) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * @param applied false if the step was skipped: its loss or global gradient norm was not
     *                finite, so neither the weights, Adam's state nor the batch-norm running
     *                statistics changed
     */
    record StepResult(double loss, int correct, boolean applied) {
    }

    record Evaluation(double loss, double accuracy) {
    }

    /**
     * One optimizer step on one batch (training mode); used by {@link #fit} and the benchmark.
     * Skipped (see {@link StepResult#applied()}) if the loss or the gradient norm is not finite.
     */
    StepResult trainStep(List<float[][]> inputs, int[] labels, double learningRate, double clipNorm,
            SplittableRandom noise, double noiseStd, SplittableRandom dropout, Adam adam) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            PaddedBatch batch = PaddedBatch.of(manager, inputs, context.featureCount(), 0, noise, noiseStd);
            Network.StatisticsUpdate statistics = new Network.StatisticsUpdate();
            NDArray logits;
            NDArray loss;
            try (GradMode ignored = GradMode.enabled()) {
                logits = network.trainingLogits(batch, dropout, statistics);
                loss = Network.crossEntropy(logits, labels, context.architecture().classes());
                NDArray l2 = network.l2Penalty();
                if (l2 != null) {
                    loss = loss.add(l2);
                }
            }
            double lossValue = loss.getFloat();
            long[] predicted = logits.argMax(1).toLongArray();
            int correct = 0;
            for (int i = 0; i < labels.length; i++) {
                if (predicted[i] == labels[i]) {
                    correct++;
                }
            }
            boolean applied = false;
            if (Double.isFinite(lossValue)) {
                try (GradMode ignored = GradMode.enabled()) {
                    JniUtils.backward((PtNDArray) loss, (PtNDArray) manager.ones(loss.getShape()), false, false);
                }
                applied = Double.isFinite(adam.update(learningRate, clipNorm));
            }
            if (applied) {
                statistics.apply();
            }
            return new StepResult(lossValue, correct, applied);
        }
    }

    /** The network (tests). */
    Network network() {
        return network;
    }

    /** The model's NDManager (tests and the benchmark). */
    NDManager manager() {
        return manager;
    }

    /** Adam state for {@link #trainStep} callers outside {@link #fit} (the benchmark). */
    Adam newOptimizer() {
        return new Adam(network.trainable());
    }

    /** Loss (cross-entropy + L2) and accuracy in inference mode. */
    Evaluation evaluate(SequenceDataset data) {
        float[][] logits = logits(data.inputs());
        int classes = context.architecture().classes();
        double ce = 0;
        int correct = 0;
        for (int i = 0; i < logits.length; i++) {
            double[] logp = logSoftmax(logits[i]);
            ce -= logp[data.labels()[i]];
            int arg = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i][c] > logits[i][arg]) {
                    arg = c;
                }
            }
            if (arg == data.labels()[i]) {
                correct++;
            }
        }
        double l2 = 0;
        try (NDScope scope = new NDScope(); GradMode ignored = GradMode.disabled()) {
            scope.suppressNotUsedWarning();
            NDArray penalty = network.l2Penalty();
            if (penalty != null) {
                l2 = penalty.getFloat();
            }
        }
        return new Evaluation(ce / logits.length + l2, (double) correct / logits.length);
    }

    // ---------------------------------------------------------------- inference

    @Override
    public float[][] predict(List<float[][]> inputs) {
        ensureOpen();
        Objects.requireNonNull(inputs, "inputs");
        float[][] logits;
        try (ThreadCount ignored = threads(context.threads())) {
            logits = logits(inputs);
        }
        float[][] probabilities = new float[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            double[] logp = logSoftmax(logits[i]);
            probabilities[i] = new float[logp.length];
            for (int c = 0; c < logp.length; c++) {
                probabilities[i][c] = (float) Math.exp(logp[c]);
            }
        }
        return probabilities;
    }

    /**
     * Inference-mode logits, batched by similar length (longest first) to keep padding small; a
     * sequence's result does not depend on its batch (masking).
     */
    private float[][] logits(List<float[][]> inputs) {
        int n = inputs.size();
        for (int i = 0; i < n; i++) {
            float[][] seq = inputs.get(i);
            if (seq == null || seq.length == 0) {
                throw new IllegalArgumentException("input " + i + " has no frames");
            }
        }
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> inputs.get(i).length).reversed());
        int classes = context.architecture().classes();
        float[][] out = new float[n][];
        try (GradMode ignored = GradMode.disabled()) {
            for (int from = 0; from < n; from += settings.predictBatchSize()) {
                int to = Math.min(n, from + settings.predictBatchSize());
                List<float[][]> chunk = new ArrayList<>(to - from);
                for (int k = from; k < to; k++) {
                    chunk.add(inputs.get(order[k]));
                }
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    PaddedBatch batch = PaddedBatch.of(manager, chunk, context.featureCount(), 0, null, 0);
                    float[] flat = network.logits(batch, false, null).toFloatArray();
                    for (int k = from; k < to; k++) {
                        out[order[k]] = Arrays.copyOfRange(flat, (k - from) * classes, (k - from + 1) * classes);
                    }
                }
            }
        }
        return out;
    }

    private static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - log;
        }
        return out;
    }

    // ---------------------------------------------------------------- parameters and files

    @Override
    public Map<String, float[]> parameters() {
        ensureOpen();
        return network.values();
    }

    @Override
    public void setParameters(Map<String, float[]> parameters) {
        ensureOpen();
        network.setValues(Objects.requireNonNull(parameters, "parameters"));
    }

    /** Shapes by canonical name (PyTorch layout), in canonical order. */
    public Map<String, long[]> parameterShapes() {
        ensureOpen();
        Map<String, long[]> out = new LinkedHashMap<>();
        network.params().forEach((name, p) -> out.put(name, p.shape().getShape()));
        return out;
    }

    @Override
    public void save(Path dir) throws IOException {
        ensureOpen();
        Files.createDirectories(dir);
        Map<String, WeightsFile.Tensor> tensors = new LinkedHashMap<>();
        Map<String, float[]> values = network.values();
        network.params().forEach((name, p) -> tensors.put(name, new WeightsFile.Tensor(p.shape().getShape(), values.get(name))));
        WeightsFile.write(dir.resolve(WEIGHTS_FILE), tensors);
        String manifest = "# ser DJL backend model; weights in " + WEIGHTS_FILE + "\n"
                + "backend=" + DjlSequenceModelProvider.NAME + "\n"
                + "format=" + FORMAT + "\n"
                + "signature=" + signature(context.architecture(), context.featureCount()) + "\n"
                + "engine=" + Engine.getEngine(settings.engine()).getEngineName() + " "
                + Engine.getEngine(settings.engine()).getVersion() + "\n";
        Path tmp = dir.resolve(MANIFEST_FILE + ".tmp");
        Files.writeString(tmp, manifest, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(MANIFEST_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Rebuilds a model written by {@link #save}, checking it matches {@code context}. */
    static DjlSequenceModel load(Path dir, ModelContext context) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new NoSuchFileException(manifestFile.toString(), null, "not a saved DJL model (manifest missing)");
        }
        Properties manifest = new Properties();
        try (Reader reader = new StringReader(Files.readString(manifestFile, StandardCharsets.UTF_8))) {
            manifest.load(reader);
        }
        if (!DjlSequenceModelProvider.NAME.equals(manifest.getProperty("backend"))) {
            throw new IOException(manifestFile + ": backend is '" + manifest.getProperty("backend") + "', expected '"
                    + DjlSequenceModelProvider.NAME + "'");
        }
        if (!String.valueOf(FORMAT).equals(manifest.getProperty("format"))) {
            throw new IOException(manifestFile + ": unsupported format '" + manifest.getProperty("format") + "'");
        }
        String expected = signature(context.architecture(), context.featureCount());
        String saved = manifest.getProperty("signature");
        if (!expected.equals(saved)) {
            throw new IOException(manifestFile + ": the model was saved for {" + saved + "} but the context describes {"
                    + expected + "}");
        }
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        Map<String, WeightsFile.Tensor> tensors = WeightsFile.read(weightsFile);
        DjlSequenceModel model = new DjlSequenceModel(context);
        try {
            model.restore(tensors, weightsFile);
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private void restore(Map<String, WeightsFile.Tensor> tensors, Path file) throws IOException {
        Map<String, Network.Param> params = network.params();
        TreeSet<String> missing = new TreeSet<>(params.keySet());
        missing.removeAll(tensors.keySet());
        TreeSet<String> extra = new TreeSet<>(tensors.keySet());
        extra.removeAll(params.keySet());
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IOException(file + ": parameters do not match the architecture; missing " + missing
                    + ", unexpected " + extra);
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Network.Param p : params.values()) {
            WeightsFile.Tensor t = tensors.get(p.name());
            if (!Arrays.equals(t.shape(), p.shape().getShape())) {
                throw new IOException(file + ": parameter " + p.name() + " has shape " + Arrays.toString(t.shape())
                        + ", the architecture needs " + p.shape());
            }
            values.put(p.name(), t.data());
        }
        network.setValues(values);
    }

    /** Everything that fixes the inference function (training-only settings excluded). */
    static String signature(ArchitectureSpec a, int featureCount) {
        return "features=" + featureCount + ", gru=" + a.gruLayers() + "x" + a.gruUnits()
                + (a.bidirectional() ? " bidirectional" : "") + ", gruBatchNorm=" + a.gruBatchNorm()
                + ", residual=" + a.residualLayers() + ", attention=" + a.attentionHeads() + "x" + a.attentionKeyDim()
                + ", pooling=" + a.poolingUnits() + ", dense=" + a.denseUnits() + ", denseBatchNorm=" + a.denseBatchNorm()
                + ", classes=" + a.classes();
    }

    // ---------------------------------------------------------------- plumbing

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            network.close();
            manager.close();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this DJL model is closed");
        }
    }

    private void checkDataset(SequenceDataset data, String what) {
        if (data.featureCount() != context.featureCount()) {
            throw new IllegalArgumentException("the " + what + " set has " + data.featureCount()
                    + " features per frame, the model " + context.featureCount());
        }
        int classes = context.architecture().classes();
        for (int i = 0; i < data.size(); i++) {
            int label = data.labels()[i];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("the " + what + " set's label " + i + " is " + label + ", outside 0.."
                        + (classes - 1));
            }
        }
    }

    private static void shuffle(int[] order, SplittableRandom rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    /** libtorch intra-op threads for the duration of a call; restored afterwards. */
    private ThreadCount threads(int fallback) {
        return new ThreadCount(settings.intraOpThreads() > 0 ? settings.intraOpThreads() : fallback);
    }

    private static final class ThreadCount implements AutoCloseable {
        private final int previous;

        ThreadCount(int threads) {
            previous = JniUtils.getNumThreads();
            if (threads != previous) {
                JniUtils.setNumThreads(threads);
            }
        }

        @Override
        public void close() {
            if (JniUtils.getNumThreads() != previous) {
                JniUtils.setNumThreads(previous);
            }
        }
    }

    /**
     * Safety net for launchers that forget {@code -Dai.djl.offline=true -DOPT_OUT_TRACKING=true}:
     * without them DJL may download libtorch or call a cloud metadata address when the engine
     * starts. Sets each to {@code true} only if neither the environment nor a system property
     * says anything; an explicit value is respected.
     */
    static void preferOffline() {
        for (String key : List.of("ai.djl.offline", "OPT_OUT_TRACKING")) {
            if (System.getenv(key) == null && System.getProperty(key) == null) {
                System.setProperty(key, "true");
                LOG.info("{} was not set; using true (no downloads, no tracking)", key);
            }
        }
    }

    /** Inter-op threads are process-wide and can be set once, before any parallel work. */
    private static void applyInterOpThreads(int threads) {
        if (threads <= 0 || JniUtils.getNumInteropThreads() == threads) {
            return;
        }
        try {
            JniUtils.setNumInteropThreads(threads);
        } catch (RuntimeException e) {
            LOG.warn("libtorch inter-op threads stay at {} (requested {}): {}", JniUtils.getNumInteropThreads(), threads,
                    e.getMessage());
        }
    }
}
