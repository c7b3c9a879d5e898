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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import ser.api.ArchitectureSpec;
import ser.api.ModelContext;
import ser.api.SequenceModel;
import ser.api.TrainingBatch;

/**
 * The {@link ArchitectureSpec} network on DJL's PyTorch engine (CPU) with hand-written training
 * steps: no DJL {@code Trainer}, {@code Block} or {@code GradientCollector}, so that nothing global
 * (DJL's one-collector-per-JVM guard, libtorch's global random generator) is involved and two
 * models can live, and train, in one JVM. The training protocol (epochs, batches, early stopping,
 * noise) is the runner's; this class supplies the steps.
 *
 * <p>Randomness is Java's: weights from {@link ModelContext#seed()} and dropout masks from a
 * stream split off it. The same seed and batches give the same steps on CPU.
 *
 * <p>Non-finite values: a step whose loss or global gradient norm is not finite is skipped (no
 * weight, Adam or batch-norm statistic changes), see {@link StepResult#applied()}.
 */
public final class DjlSequenceModel implements SequenceModel {

    private static final Logger LOG = LoggerFactory.getLogger(DjlSequenceModel.class);

    private final ModelContext context;
    private final DjlSettings settings;
    private final NDManager manager;
    private final Network network;
    private final SplittableRandom dropout;
    private Adam adam;
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
        dropout = new SplittableRandom(context.seed()).split();
    }

    @Override
    public String backend() {
        return DjlSequenceModelProvider.NAME;
    }

    @Override
    public String engineVersion() {
        Engine engine = Engine.getEngine(settings.engine());
        return engine.getEngineName() + " " + engine.getVersion();
    }

    // ---------------------------------------------------------------- training

    @Override
    public StepResult trainStep(TrainingBatch batch, double learningRate) {
        ensureOpen();
        checkLabels(batch.labels());
        if (adam == null) {
            adam = new Adam(network.trainable(), context.optimizer());
        }
        try (ThreadCount ignored = threads()) {
            return trainStep(batch.inputs(), batch.labels(), batch.unitWeights() ? null : batch.weights(), learningRate);
        }
    }

    /**
     * One optimizer step on one batch (training mode). Skipped (see
     * {@link StepResult#applied()}) if the loss or the gradient norm is not finite.
     */
    private StepResult trainStep(List<float[][]> inputs, int[] labels, float[] weights, double learningRate) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            PaddedBatch batch = PaddedBatch.of(manager, inputs, context.featureCount(), 0, null, 0);
            Network.StatisticsUpdate statistics = new Network.StatisticsUpdate();
            NDArray logits;
            NDArray loss;
            try (GradMode ignored = GradMode.enabled()) {
                logits = network.trainingLogits(batch, dropout, statistics);
                loss = Network.crossEntropy(logits, labels, weights, context.architecture().classes());
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
                applied = Double.isFinite(adam.update(learningRate));
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

    @Override
    public Evaluation evaluate(List<float[][]> inputs, int[] labels) {
        ensureOpen();
        if (inputs.size() != labels.length || labels.length == 0) {
            throw new IllegalArgumentException(inputs.size() + " sequences and " + labels.length + " labels");
        }
        checkLabels(labels);
        float[][] logits;
        try (ThreadCount ignored = threads()) {
            logits = logits(inputs);
        }
        int classes = context.architecture().classes();
        double ce = 0;
        int correct = 0;
        for (int i = 0; i < logits.length; i++) {
            double[] logp = logSoftmax(logits[i]);
            ce -= logp[labels[i]];
            int arg = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i][c] > logits[i][arg]) {
                    arg = c;
                }
            }
            if (arg == labels[i]) {
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
        try (ThreadCount ignored = threads()) {
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

    // ---------------------------------------------------------------- parameters

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

    @Override
    public Map<String, long[]> parameterShapes() {
        ensureOpen();
        Map<String, long[]> out = new LinkedHashMap<>();
        network.params().forEach((name, p) -> out.put(name, p.shape().getShape()));
        return out;
    }

    // ---------------------------------------------------------------- plumbing

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (adam != null) {
                adam.close();
            }
            network.close();
            manager.close();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this DJL model is closed");
        }
    }

    private void checkLabels(int[] labels) {
        int classes = context.architecture().classes();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + ", outside 0.." + (classes - 1));
            }
        }
    }

    /** libtorch intra-op threads for the duration of a call; restored afterwards. */
    private ThreadCount threads() {
        return new ThreadCount(settings.intraOpThreads() > 0 ? settings.intraOpThreads() : context.threads());
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
