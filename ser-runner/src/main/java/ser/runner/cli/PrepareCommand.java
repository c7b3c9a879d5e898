package ser.runner.cli;

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
import ser.runner.ExitCodes;
import ser.runner.RunFailure;
import ser.runner.corpus.CorpusScanner;
import ser.runner.corpus.Manifest;
import ser.runner.corpus.ScanResult;

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
        CorpusScanner scanner = root.bootstrap().injector().getInstance(CorpusScanner.class);
        ScanResult result = scanner.scan(corpora);
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
