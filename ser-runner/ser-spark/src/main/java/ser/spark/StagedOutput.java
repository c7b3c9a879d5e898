package ser.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import ser.pipeline.RunFailure;
import ser.pipeline.UsageException;

/**
 * A job's output folder, written under a hidden staging name beside it and renamed into place
 * only once complete: readers never see a half-written output, and a failed job leaves only the
 * staging folder it wrote (removed on failure). Within the staging folder Spark's committer
 * already keeps failed and speculative task attempts out. (On HDFS and local disks the rename is
 * atomic; on object stores it is a copy: use a committer made for them there.)
 */
public final class StagedOutput {

    private final FileSystem fs;
    private final Path target;
    private final Path staging;

    private StagedOutput(FileSystem fs, Path target, Path staging) {
        this.fs = fs;
        this.target = target;
        this.staging = staging;
    }

    /** @throws UsageException when {@code out} exists: a job never replaces what is there */
    public static StagedOutput open(String out, Configuration hadoop, String runId) {
        Path target = new Path(out);
        try {
            FileSystem fs = target.getFileSystem(hadoop);
            target = fs.makeQualified(target);
            if (fs.exists(target)) {
                throw new UsageException(out + ": exists; ser spark writes a new output and never replaces one"
                        + " (choose another --out or remove it)");
            }
            Path staging = new Path(target.getParent(), "." + target.getName() + ".ser-spark-" + runId);
            return new StagedOutput(fs, target, staging);
        } catch (IOException e) {
            throw new RunFailure(out + ": cannot check the output: " + e.getMessage(), e);
        }
    }

    /** Where the job writes (a path Spark's writers accept). */
    public String staging() {
        return staging.toString();
    }

    public String target() {
        return target.toString();
    }

    /** Adds a small file (e.g. the feature schema) to the staged output. */
    public void writeFile(String name, String text) {
        try (OutputStream o = fs.create(new Path(staging, name), false)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RunFailure(staging + "/" + name + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Renames the finished output into place. */
    public void commit() {
        try {
            if (fs.exists(target) || !fs.rename(staging, target)) {
                throw new RunFailure(target + ": could not move the finished output into place (it appeared meanwhile?);"
                        + " it is complete at " + staging);
            }
        } catch (IOException e) {
            throw new RunFailure(target + ": could not move the finished output into place: " + e.getMessage()
                    + "; it is complete at " + staging, e);
        }
    }

    /** Removes the staging folder after a failure (it holds only what this job wrote). */
    public void abort() {
        try {
            fs.delete(staging, true);
        } catch (IOException e) {
            // Best effort: the hidden folder is named after the run and never read as an output.
        }
    }
}
