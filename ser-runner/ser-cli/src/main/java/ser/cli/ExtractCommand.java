package ser.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ser.pipeline.UsageException;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ManifestRow;
import ser.pipeline.audio.AudioLocation;
import ser.pipeline.extract.ExtractJob;
import ser.pipeline.util.OutputPaths;

/** {@code ser extract}: features of every manifest row into a feature folder. */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = {"Decode every file of a manifest once and compute the configured features (ser.extract):",
            "  DIR/nppdp.csv        functionals per utterance, emotion_label last (1..8)",
            "  DIR/nppdp.index.csv  id, path, corpus, speaker, gender, emotion, emotion_label, frames",
            "  DIR/sequences.f32    frame features, float32 little-endian (see STORE.md)",
            "  DIR/schema.json      the feature schema and its hash",
            "An interrupted run continues where it stopped when run again with the same settings.",
            "Files that cannot be used are listed and skipped."})
public final class ExtractCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--manifest", required = true, paramLabel = "CSV", description = "manifest.csv written by ser prepare")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "feature folder to write")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: ser.extract.threads; 0 = all cores)")
    Integer threads;

    @Override
    public Integer call() {
        ExtractJob job = root.injector(OptionSettings.NONE.with(ExtractJob.THREADS, threads)).getInstance(ExtractJob.class);
        List<ManifestRow> rows = Manifest.read(manifest);
        if (rows.isEmpty()) {
            throw new UsageException(manifest + ": the manifest has no rows");
        }
        OutputPaths.refuseOverlap("--out", out, "--manifest", manifest);
        OutputPaths.refuseOverlap("--out", out, "the audio files of", manifest, rows.stream()
                .map(r -> AudioLocation.parse(r.location()).file()).toList());
        job.run(rows, out, spec.commandLine().getOut(), spec.commandLine().getErr());
        return ExitCodes.OK;
    }
}
