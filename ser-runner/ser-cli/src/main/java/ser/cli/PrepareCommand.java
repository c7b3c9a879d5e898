package ser.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;
import ser.pipeline.audio.AudioLocation;
import ser.pipeline.util.OutputLock;
import ser.pipeline.util.OutputPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import ser.pipeline.prepare.CorpusScanner;
import ser.pipeline.prepare.Manifest;
import ser.pipeline.prepare.ScanResult;

/**
 * {@code ser prepare}: scans corpus folders and archives, labels every file by its corpus's
 * naming convention, checks every file's header, and writes {@code manifest.csv}.
 *
 * <p>Output: the summary (files per corpus and emotion, then the counts of unlabeled, excluded,
 * bad and duplicate files) goes to stdout; each file that did not become a manifest row goes to
 * stderr on its own line, {@code unlabeled|excluded|duplicate|bad: <location>: <reason>}, so
 * that {@code 2>problems.txt} keeps them apart. Exit 0 when at least one file is labelled (the
 * manifest is then written atomically), 1 when none is (nothing is written).
 */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = {"Scan corpus folders and .zip archives, label each WAV file by its corpus's naming convention "
                + "(RAVDESS, CREMA-D, EMO-DB, ESD, EMOVO, URDU, TESS, ShEMO, CaFE, JL-Corpus, SUBESCO, SAVEE, EmoV-DB, AVV) "
                + "or by a labelled list (.csv), check its header, and write the manifest.",
                "Summary on stdout; one line per unlabeled, excluded, duplicate or bad file on stderr."})
public final class PrepareCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", required = true, paramLabel = "DIR|ZIP|CSV",
            description = "corpus folder, .zip archive, .wav file or labelled list .csv (repeatable)")
    List<Path> corpora = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "manifest to write, e.g. manifest.csv")
    Path out;

    @Override
    public Integer call() {
        refuseCorpusAsOutput();
        try (OutputLock lock = OutputLock.acquire(out, "ser prepare")) {
            return prepare();
        }
    }

    /**
     * The manifest must not overwrite a corpus file, nor land inside a corpus folder where a
     * later scan would pick it up, nor replace a file that is not a manifest.
     */
    private void refuseCorpusAsOutput() {
        Path o = OutputPaths.canonical(out);
        String name = o.getFileName() == null ? "" : o.getFileName().toString().toLowerCase(Locale.ROOT);
        for (Path corpus : corpora) {
            OutputPaths.refuseOverlap("--out", out, "--corpus", corpus);
            Path c = OutputPaths.canonical(corpus);
            if (Files.isDirectory(c) && o.startsWith(c) && (name.endsWith(".wav") || name.endsWith(".zip"))) {
                throw new UsageException("--out " + out + ": a .wav/.zip inside the corpus folder " + corpus
                        + " would be scanned as audio; choose another --out (e.g. manifest.csv)");
            }
        }
        if (Files.isDirectory(o)) {
            throw new UsageException("--out " + out + ": is a folder; name the manifest file to write, e.g. "
                    + out.resolve("manifest.csv"));
        }
        if (Files.exists(o) && !isManifest(o)) {
            throw new UsageException("--out " + out + ": exists and is not a manifest written by ser prepare;"
                    + " refusing to overwrite it (choose another --out)");
        }
    }

    private static boolean isManifest(Path file) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().map(l -> l.replace("\uFEFF", "").strip()
                    .equals(String.join(",", Manifest.COLUMNS))).orElse(true);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private Integer prepare() {
        CorpusScanner scanner = root.injector().getInstance(CorpusScanner.class);
        ScanResult result = scanner.scan(corpora);
        Path o = OutputPaths.canonical(out);
        for (var row : result.rows()) {
            if (OutputPaths.canonical(AudioLocation.parse(row.location()).file()).equals(o)) {
                throw new UsageException("--out " + out + ": is the corpus file " + row.location()
                        + "; refusing to overwrite it (choose another --out)");
            }
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        result.issueLines().forEach(line -> stderr.println("ser prepare: " + line));
        stderr.flush();
        result.summaryLines().forEach(stdout::println);
        if (result.rows().isEmpty()) {
            stdout.flush();
            stderr.println("ser prepare: no labelled WAV files found under " + corpora + "; nothing written");
            stderr.flush();
            return ExitCodes.RUN_FAILURE;
        }
        try {
            Manifest.write(out, result.rows());
        } catch (IOException e) {
            throw new RunFailure(out + ": cannot write manifest: " + e.getMessage(), e);
        }
        stdout.println("wrote " + result.rows().size() + " rows to " + out);
        stdout.flush();
        return ExitCodes.OK;
    }
}
