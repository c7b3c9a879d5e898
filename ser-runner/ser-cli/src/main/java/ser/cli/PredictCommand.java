package ser.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import com.google.inject.Injector;
import com.typesafe.config.Config;
import ser.pipeline.plugins.PluginRegistry;
import ser.pipeline.model.ModelBundle;
import ser.pipeline.UsageException;
import ser.pipeline.model.ModelBundles;
import ser.pipeline.predict.Predictor;
import ser.pipeline.predict.SpeakerSource;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.segment.SegmentSettings;

/** {@code ser predict}: emotion and probabilities for audio files. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict the emotion of audio files with a model bundle: each file is decoded, its features "
                + "computed with the bundle's extractors and settings, standardized with the bundle's scaler.",
                "Prints the emotion and all eight probabilities per file (or, with --segments, per segment of "
                        + "each file). Any of WAV, MP3, FLAC, Ogg (Vorbis/Opus), M4A/AAC, WebM; a folder is searched for "
                        + "them. "
                        + "A file that fails is reported on stderr and the others still print; exit code 0 when "
                        + "every file succeeded, 1 when any failed.",
                "A bundle trained with speaker normalization normalizes each speaker's files with their own statistics: "
                        + "say who spoke with --manifest, --speaker or --speaker-per-folder; a speaker with fewer than "
                        + "ser.normalize.min-utterances files (or unknown) falls back, with a warning, to the training "
                        + "speakers' pooled statistics."})
public final class PredictCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions bundleOptions;

    @Option(names = "--format", paramLabel = "table|json|csv", defaultValue = "table",
            description = "table (default), json (one object per line) or csv")
    String format;

    @Option(names = "--manifest", paramLabel = "CSV",
            description = "manifest.csv (ser prepare): predict its files (or the FILEs given) with its speaker column as "
                    + "each file's speaker, for speaker normalization")
    Path manifest;

    @Option(names = "--speaker", paramLabel = "NAME",
            description = "all files are by one speaker, normalized together with their own statistics")
    String speaker;

    @Option(names = "--speaker-per-folder",
            description = "the files of each folder are by one speaker (the folder that directly holds a file)")
    boolean speakerPerFolder;

    @Option(names = "--segments", description = "for long recordings: cut each file into segments and print start, end, "
            + "emotion and probabilities per segment (settings: ser.segments)")
    boolean segments;

    @Option(names = "--segment-mode", paramLabel = "vad|fixed",
            description = "with --segments: vad (voice activity) or fixed (windows); default ser.segments.mode")
    String segmentMode;

    @Option(names = "--window", paramLabel = "SECONDS", description = "with --segments: fixed windows of this length (default ser.segments.fixed.window-s)")
    Double window;

    @Option(names = "--hop", paramLabel = "SECONDS", description = "with --segments: fixed windows, one every SECONDS (default ser.segments.fixed.hop-s)")
    Double hop;

    @Parameters(arity = "0..*", paramLabel = "FILE|DIR", description = "audio files (or zip!/entry) and folders")
    List<String> inputs = new ArrayList<>();

    @Override
    public Integer call() {
        PredictionFormat output = PredictionFormat.parse(format);
        if (!segments && (window != null || hop != null || segmentMode != null)) {
            throw new UsageException("--segment-mode, --window and --hop need --segments");
        }
        int sources = (manifest != null ? 1 : 0) + (speaker != null ? 1 : 0) + (speakerPerFolder ? 1 : 0);
        if (sources > 1) {
            throw new UsageException("--manifest, --speaker and --speaker-per-folder: give at most one");
        }
        if (inputs.isEmpty() && manifest == null) {
            throw new UsageException("give audio files or folders, or --manifest");
        }
        Injector injector = root.injector(segmentOptions());
        PluginRegistry plugins = injector.getInstance(PluginRegistry.class);
        Config config = injector.getInstance(Config.class);
        try (ModelBundle bundle = injector.getInstance(ModelBundles.class).open(bundleOptions.model, bundleOptions.backend)) {
            if (segments) {
                return new SegmentsRun(bundle, plugins, config, SegmentSettings.from(config))
                        .run(inputs, output, spec.commandLine().getOut(), spec.commandLine().getErr());
            }
            Predictor predictor = Predictor.forBundle(bundle, plugins, config);
            SpeakerSource speakers = SpeakerSource.unknown();
            List<String> files = inputs;
            if (manifest != null) {
                List<ManifestRow> rows = Manifest.read(manifest);
                speakers = SpeakerSource.manifest(rows, bundle.info().normalization().mode());
                if (files.isEmpty()) {
                    files = rows.stream().map(ManifestRow::location).toList();
                }
            } else if (speaker != null) {
                speakers = SpeakerSource.named(speaker);
            } else if (speakerPerFolder) {
                speakers = SpeakerSource.perFolder();
            }
            return PredictionPrinter.run(predictor, files, speakers, output, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    /** --segment-mode, --window and --hop as the ser.segments settings they stand for. */
    private OptionSettings segmentOptions() {
        return new OptionSettings(SegmentSettings.overrides(segmentMode, window, hop));
    }
}
