package ser.pipeline.extract;

import ser.pipeline.store.ExtractorSetting;
import ser.pipeline.store.FeatureSchema;
import ser.pipeline.store.VoicedSetting;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import ser.api.AudioClip;
import ser.api.ExtractorContext;
import ser.api.FeatureExtractor;
import ser.api.FeatureExtractorProvider;
import ser.api.FeatureTrack;
import ser.api.FrameGrid;
import ser.pipeline.BadInputException;
import ser.pipeline.UsageException;
import ser.pipeline.audio.AudioLoader;
import ser.pipeline.plugins.PluginRegistry;

/**
 * All configured extractors on one frame grid, plus the functionals: turns a decoded clip into
 * its frame sequence and its nppdp.csv row. Thread-safe: every thread that calls
 * {@link #extract} gets its own extractor instances (extractors keep scratch buffers).
 *
 * <p>Build it from the settings ({@link #fromConfig}) to extract, or from a stored schema
 * ({@link #fromSchema}) to compute the very same features for prediction; the latter rebuilds the
 * extractors from the stored settings and refuses to run if the result's schema hash differs.
 */
public final class FeaturePipeline {

    /** Minimum clip duration when none is configured (prediction from a stored schema). */
    public static final double DEFAULT_MIN_DURATION_S = 0.1;

    private final FeatureSchema schema;
    private final List<FeatureExtractorProvider> providers;
    private final List<ExtractorContext> contexts;
    private final List<String> names;
    private final Functionals functionals;
    /** Null when off. */
    private final VoicedFunctionals voiced;
    private final double minDurationSeconds;
    /** Per extractor: number of track columns and utterance values. */
    private final int[] trackDims;
    private final List<List<String>> trackColumns;
    private final List<List<String>> utteranceNames;
    private final ThreadLocal<Worker> workers;

    private FeaturePipeline(FrameGrid grid, List<String> names, List<FeatureExtractorProvider> providers,
            List<Config> settings, Functionals functionals, VoicedSetting voicedSetting, double minDurationSeconds) {
        this.names = List.copyOf(names);
        this.providers = List.copyOf(providers);
        this.functionals = functionals;
        this.minDurationSeconds = minDurationSeconds;
        List<ExtractorContext> ctx = new ArrayList<>();
        List<ExtractorSetting> extractorSettings = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            ctx.add(new ExtractorContext(grid, settings.get(i)));
            extractorSettings.add(new ExtractorSetting(names.get(i), render(settings.get(i))));
        }
        this.contexts = List.copyOf(ctx);
        // Build one set now: invalid settings fail before any work, and it tells us the columns.
        Worker first = new Worker(this.providers, this.names, this.contexts);
        this.trackDims = new int[names.size()];
        this.trackColumns = new ArrayList<>();
        this.utteranceNames = new ArrayList<>();
        List<String> frameColumns = new ArrayList<>();
        List<String> utteranceColumns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            FeatureExtractor e = first.extractors.get(i);
            String name = names.get(i);
            List<String> cols = List.copyOf(e.columns());
            List<String> utt = List.copyOf(e.utteranceColumns());
            trackDims[i] = cols.size();
            trackColumns.add(cols);
            utteranceNames.add(utt);
            for (String c : cols) {
                frameColumns.add(name + "_" + c);
            }
            for (String c : cols) {
                for (String f : functionals.names()) {
                    utteranceColumns.add(name + "_" + c + "_" + f);
                }
            }
            for (String u : utt) {
                utteranceColumns.add(name + "_" + u);
            }
        }
        checkUnique(frameColumns, "frame");
        this.voiced = voicedSetting.enabled() ? VoicedFunctionals.of(voicedSetting, frameColumns, functionals) : null;
        if (voiced != null) {
            utteranceColumns.addAll(voiced.columnNames());
        }
        checkUnique(utteranceColumns, "nppdp.csv");
        this.schema = FeatureSchema.of(grid, extractorSettings, frameColumns, utteranceColumns, functionals.names(),
                voicedSetting);
        List<FeatureExtractorProvider> recipe = this.providers;
        List<String> named = this.names;
        List<ExtractorContext> settingsOf = this.contexts;
        // The supplier and the workers must not refer to this pipeline: a thread's ThreadLocal map
        // holds its worker strongly, and a worker holding the pipeline would keep the pipeline's
        // ThreadLocal key alive, so a pipeline built or used on a long-lived thread (a server's,
        // the fuzzer's) would never be freed (the settings fuzz target grew to 4.5 GB this way).
        this.workers = ThreadLocal.withInitial(() -> new Worker(recipe, named, settingsOf));
        this.workers.set(first);
    }

    /** From checked settings: {@code ser.audio}, {@code ser.extract} and {@code ser.extractors.<name>}. */
    public static FeaturePipeline fromConfig(Config config, PluginRegistry plugins) {
        return fromSettings(ExtractSettings.from(config), config, plugins);
    }

    /** {@code extract}'s extractors, each with its {@code ser.extractors.<name>} block of {@code config}. */
    public static FeaturePipeline fromSettings(ExtractSettings extract, Config config, PluginRegistry plugins) {
        if (extract.extractors().isEmpty()) {
            throw new UsageException(ExtractSettings.EXTRACTORS + ": no extractors configured (known: "
                    + String.join(", ", plugins.extractors().keySet().stream().sorted().toList()) + ")");
        }
        List<FeatureExtractorProvider> providers = new ArrayList<>();
        List<Config> settings = new ArrayList<>();
        for (String name : extract.extractors()) {
            providers.add(plugins.extractor(name));
            String path = "ser.extractors.\"" + name + "\"";
            settings.add(config.hasPath(path) ? config.getConfig(path) : ConfigFactory.empty());
        }
        return new FeaturePipeline(extract.grid(), extract.extractors(), providers, settings, extract.functionals(),
                extract.voiced(), extract.minDurationS());
    }

    /** Rebuilds the extractors a stored schema names, with its settings; see {@link #fromSchema(FeatureSchema, PluginRegistry, double)}. */
    public static FeaturePipeline fromSchema(FeatureSchema stored, PluginRegistry plugins) {
        return fromSchema(stored, plugins, DEFAULT_MIN_DURATION_S);
    }

    /**
     * Rebuilds exactly the extractors of {@code stored} (names and settings) and checks that they
     * produce the same schema.
     *
     * @throws UsageException        when a named extractor is not installed
     * @throws BadInputException     when the rebuilt schema's hash differs from the stored one
     *                               (both hashes and the first difference are named)
     */
    public static FeaturePipeline fromSchema(FeatureSchema stored, PluginRegistry plugins, double minDurationSeconds) {
        List<String> names = new ArrayList<>();
        List<FeatureExtractorProvider> providers = new ArrayList<>();
        List<Config> settings = new ArrayList<>();
        for (ExtractorSetting e : stored.extractors()) {
            names.add(e.name());
            providers.add(plugins.extractor(e.name()));
            try {
                settings.add(ConfigFactory.parseString(e.settings()));
            } catch (ConfigException ex) {
                throw new BadInputException("feature schema " + stored.shortHash(),
                        "settings of extractor '" + e.name() + "' cannot be read: " + ex.getMessage());
            }
        }
        FeaturePipeline pipeline;
        try {
            pipeline = new FeaturePipeline(stored.grid(), names, providers, settings,
                    Functionals.parse(stored.functionals()), stored.voiced(), minDurationSeconds);
        } catch (UsageException ex) {
            throw new BadInputException("feature schema " + stored.shortHash(),
                    "the installed extractors cannot be built with the stored settings: " + ex.getMessage(), ex);
        }
        String rebuilt = pipeline.schema.hash();
        if (!rebuilt.equals(stored.hash())) {
            throw new BadInputException("feature schema", "hash mismatch: stored " + stored.hash()
                    + ", the installed extractors give " + rebuilt + " (" + difference(stored, pipeline.schema) + ")");
        }
        return pipeline;
    }

    private static String difference(FeatureSchema a, FeatureSchema b) {
        if (!a.extractors().equals(b.extractors())) {
            return "extractor settings differ";
        }
        if (!a.frameColumns().equals(b.frameColumns())) {
            return "frame columns differ: stored " + a.frameColumns().size() + ", now " + b.frameColumns().size()
                    + firstDifference(a.frameColumns(), b.frameColumns());
        }
        if (!a.utteranceColumns().equals(b.utteranceColumns())) {
            return "utterance columns differ: stored " + a.utteranceColumns().size() + ", now "
                    + b.utteranceColumns().size() + firstDifference(a.utteranceColumns(), b.utteranceColumns());
        }
        if (!a.voiced().equals(b.voiced())) {
            return "voiced-only functionals differ";
        }
        if (!a.hash().equals(a.computeHash())) {
            return "the stored schema's hash does not match its content";
        }
        return "grid, functionals or store format version differ";
    }

    private static String firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return "; first at " + i + ": stored '" + a.get(i) + "', now '" + b.get(i) + "'";
            }
        }
        return "";
    }

    /** Settings as stored in the schema: concise JSON, keys sorted (Typesafe Config renders them sorted). */
    static String render(Config settings) {
        return settings.root().render(ConfigRenderOptions.concise());
    }

    private static void checkUnique(List<String> columns, String what) {
        Set<String> seen = new HashSet<>();
        for (String c : columns) {
            if (!seen.add(c)) {
                throw new UsageException("ser.extract.extractors: duplicate " + what + " column '" + c + "'");
            }
        }
    }

    public FeatureSchema schema() {
        return schema;
    }

    public FrameGrid grid() {
        return schema.grid();
    }

    public List<String> extractorNames() {
        return names;
    }

    public double minDurationSeconds() {
        return minDurationSeconds;
    }

    /** Features of {@code clip}; messages name it "audio". */
    public Extraction extract(AudioClip clip) {
        return extract(clip, "audio");
    }

    /**
     * Features of {@code clip}, using this thread's extractor instances.
     *
     * @param location named in error messages
     * @throws BadInputException when the clip is too short or at the wrong rate, or an extractor
     *                           fails or returns a malformed track (naming the extractor)
     */
    public Extraction extract(AudioClip clip, String location) {
        return extract(workers.get(), clip, location, true);
    }

    /**
     * The frames of {@code clip} only ({@link Extraction#framesOnly}), for a model that reads the
     * sequence: the same frames as {@link #extract(AudioClip, String)} with the same checks, but
     * neither functionals nor utterance-level values are computed (extractors are called through
     * {@link FeatureExtractor#extractFrames}).
     *
     * @param location named in error messages
     * @throws BadInputException as {@link #extract(AudioClip, String)}
     */
    public Extraction extractFrames(AudioClip clip, String location) {
        return extract(workers.get(), clip, location, false);
    }

    /** One set of extractor instances and scratch space, used by one thread (static: see the constructor). */
    private static final class Worker {
        final List<FeatureExtractor> extractors = new ArrayList<>();
        double[] scratch = new double[0];

        Worker(List<FeatureExtractorProvider> providers, List<String> names, List<ExtractorContext> contexts) {
            for (int i = 0; i < providers.size(); i++) {
                String name = names.get(i);
                FeatureExtractor e;
                try {
                    e = providers.get(i).create(contexts.get(i));
                } catch (IllegalArgumentException | ConfigException ex) {
                    throw new UsageException("ser.extractors." + name + ": " + ex.getMessage(), ex);
                }
                if (e == null) {
                    throw new UsageException("extractor '" + name + "' could not be created (its provider returned null)");
                }
                extractors.add(e);
            }
        }
    }

    /** @param utteranceLevel false: frames only (no functionals, no utterance values asked or checked) */
    private Extraction extract(Worker worker, AudioClip clip, String location, boolean utteranceLevel) {
        List<FeatureExtractor> extractors = worker.extractors;
        FrameGrid grid = schema.grid();
        if (clip.sampleRate() != grid.sampleRate()) {
            throw new BadInputException(location, "decoded at " + clip.sampleRate() + " Hz, the features need "
                    + grid.sampleRate() + " Hz");
        }
        int minSamples = Math.max(grid.frameLength(), (int) Math.ceil(minDurationSeconds * grid.sampleRate()));
        if (clip.length() < minSamples) {
            throw new BadInputException(location, String.format(Locale.ROOT, "too short: %.3f s (%d samples; minimum %.3f s)",
                    clip.durationSeconds(), clip.length(), minSamples / (double) grid.sampleRate()));
        }
        int frames = grid.frameCount(clip.length());
        if (frames <= 0) {
            throw new BadInputException(location, "too short: no complete frame");
        }
        int width = schema.frameColumns().size();
        float[][] seq = new float[frames][width];
        float[] utterance = utteranceLevel ? new float[schema.utteranceColumns().size()] : null;
        if (worker.scratch.length < frames) {
            worker.scratch = new double[frames];
        }
        double[] scratch = worker.scratch;
        int col = 0;
        int u = 0;
        int nf = functionals.size();
        for (int i = 0; i < extractors.size(); i++) {
            String name = names.get(i);
            FeatureTrack track;
            try {
                FeatureExtractor extractor = extractors.get(i);
                track = utteranceLevel ? extractor.extract(clip) : extractor.extractFrames(clip);
            } catch (BadInputException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new BadInputException(location, "extractor '" + name + "' failed: " + describe(e), e);
            }
            check(track, i, frames, location, utteranceLevel);
            float[][] data = track.frames();
            int dims = trackDims[i];
            for (int t = 0; t < frames; t++) {
                float[] row = data[t];
                for (int c = 0; c < dims; c++) {
                    float v = row[c];
                    if (!Float.isFinite(v)) {
                        throw new BadInputException(location, "extractor '" + name + "' gave " + v + " at frame " + t
                                + ", column " + trackColumns.get(i).get(c));
                    }
                }
                System.arraycopy(row, 0, seq[t], col, dims);
            }
            col += dims;
            if (!utteranceLevel) {
                continue;
            }
            for (int c = 0; c < dims; c++) {
                for (int t = 0; t < frames; t++) {
                    scratch[t] = data[t][c];
                }
                functionals.compute(scratch, frames, utterance, u);
                u += nf;
            }
            for (String key : utteranceNames.get(i)) {
                Double v = track.utterance().get(key);
                if (v == null || !Double.isFinite(v) || !Float.isFinite((float) v.doubleValue())) {
                    throw new BadInputException(location, "extractor '" + name + "' gave utterance value " + key
                            + " = " + v);
                }
                utterance[u++] = (float) v.doubleValue();
            }
        }
        if (!utteranceLevel) {
            return Extraction.framesOnly(seq);
        }
        if (voiced != null) {
            voiced.compute(seq, scratch, utterance, u);
        }
        return new Extraction(seq, utterance);
    }

    private void check(FeatureTrack track, int i, int frames, String location, boolean utteranceLevel) {
        String name = names.get(i);
        if (track == null) {
            throw new BadInputException(location, "extractor '" + name + "' returned no track");
        }
        if (track.frameCount() != frames) {
            throw new BadInputException(location, "extractor '" + name + "' returned " + track.frameCount()
                    + " frames, the grid has " + frames);
        }
        if (!track.columns().equals(trackColumns.get(i))) {
            throw new BadInputException(location, "extractor '" + name + "' returned columns " + track.columns()
                    + ", it declared " + trackColumns.get(i));
        }
        // A frames-only track may carry the utterance values or none (the default extractFrames is extract).
        if (utteranceLevel && !track.utterance().keySet().equals(new java.util.LinkedHashSet<>(utteranceNames.get(i)))) {
            throw new BadInputException(location, "extractor '" + name + "' returned utterance values "
                    + track.utterance().keySet() + ", it declared " + utteranceNames.get(i));
        }
    }

    public static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /**
     * The problem reported for a file whose processing ran out of memory. The failed allocation
     * belonged to that file and is garbage now, so callers report it and go on with the others.
     *
     * @param heap   which heap, e.g. "heap for 2 worker(s)"
     * @param remedy what to raise or lower where this runs, before the per-file duration limit
     */
    public static String outOfMemory(String heap, String remedy) {
        return "out of memory: " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB " + heap + " (" + remedy + " or lower "
                + AudioLoader.MAX_DURATION + ")";
    }
}
