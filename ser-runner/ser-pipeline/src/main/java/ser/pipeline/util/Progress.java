package ser.pipeline.util;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long loop, on one line. On a terminal a bar with count, rates and ETA is redrawn
 * in place with {@code \r} (at most every 200 ms); otherwise a plain line is printed every
 * 5 seconds or each 10 % of the work, so logs stay readable. Other output during the loop goes
 * through {@link #message} so it does not collide with the bar.
 *
 * <pre>{@code
 * Progress p = Progress.onConsole("extract", "files", rows.size(), err).withAmount("audio-s");
 * p.advance(1, clip.durationSeconds());
 * p.finish();
 * }</pre>
 */
public final class Progress {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final long PLAIN_NANOS = 5_000_000_000L;
    private static final int BAR = 24;

    private final String label;
    private final String unit;
    private final long total;
    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long start;
    private String amountUnit;
    private long done;
    private long skipped;
    private double amount;
    private long lastDraw;
    private int lastDecile;
    private int drawnWidth;
    private boolean finished;

    /**
     * @param label    what is running, e.g. {@code extract} or {@code epoch}
     * @param unit     what is counted, e.g. {@code files}
     * @param total    how many there will be (0 if unknown)
     * @param terminal whether to redraw one line in place
     * @param clock    nanosecond clock (tests pass a fake one)
     */
    public Progress(String label, String unit, long total, PrintWriter out, boolean terminal, LongSupplier clock) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastDraw = start;
    }

    /** Redraws in place when a console is attached ({@code System.console() != null}). */
    public static Progress onConsole(String label, String unit, long total, PrintWriter out) {
        return new Progress(label, unit, total, out, System.console() != null, System::nanoTime);
    }

    /** Also reports the rate of a second quantity, e.g. {@code audio-s} processed per second. */
    public Progress withAmount(String unit) {
        this.amountUnit = unit;
        return this;
    }

    /** Counts {@code n} more items, worth {@code amount} of the second quantity. */
    public synchronized void advance(long n, double amount) {
        done += n;
        this.amount += amount;
        long now = clock.getAsLong();
        if (terminal) {
            if (now - lastDraw >= REDRAW_NANOS || done == total) {
                draw(now);
            }
        } else {
            int decile = total > 0 ? (int) (done * 10 / total) : 0;
            if (now - lastDraw >= PLAIN_NANOS || decile > lastDecile) {
                lastDecile = decile;
                draw(now);
            }
        }
    }

    public synchronized void advance(long n) {
        advance(n, 0);
    }

    /**
     * Counts {@code n} items that were done before this run (resumed work): they count towards
     * the total but not towards the rates and the ETA.
     */
    public synchronized void skipAhead(long n) {
        done += n;
        skipped += n;
        lastDecile = total > 0 ? (int) (done * 10 / total) : 0;
    }

    /** Prints a line of other output (a skipped file, say) without breaking the bar. */
    public synchronized void message(String line) {
        if (terminal && drawnWidth > 0) {
            out.print("\r" + " ".repeat(drawnWidth) + "\r");
            out.println(line);
            drawnWidth = 0;
            draw(clock.getAsLong());
        } else {
            out.println(line);
            out.flush();
        }
    }

    /** Ends the bar's line. */
    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (terminal) {
            draw(clock.getAsLong());
            out.println();
            out.flush();
        }
    }

    public synchronized long done() {
        return done;
    }

    public synchronized double elapsedSeconds() {
        return (clock.getAsLong() - start) / 1e9;
    }

    /** The status text without the bar, e.g. {@code 12/40 (30%) 3.1 files/s ... ETA 9s}. */
    synchronized String status(long now) {
        double secs = Math.max(1e-9, (now - start) / 1e9);
        StringBuilder b = new StringBuilder();
        b.append(done);
        if (total > 0) {
            b.append('/').append(total).append(String.format(Locale.ROOT, " (%d%%)", done * 100 / total));
        }
        long counted = done - skipped;
        b.append(String.format(Locale.ROOT, " %.1f %s/s", counted / secs, unit));
        if (amountUnit != null) {
            b.append(String.format(Locale.ROOT, " %.1f %s/s", amount / secs, amountUnit));
        }
        if (total > 0 && counted > 0 && done < total) {
            b.append(" ETA ").append(duration((total - done) * secs / counted));
        } else if (done >= total && total > 0) {
            b.append(" in ").append(duration(secs));
        }
        return b.toString();
    }

    private void draw(long now) {
        lastDraw = now;
        String status = status(now);
        if (terminal) {
            StringBuilder line = new StringBuilder(label).append(' ');
            if (total > 0) {
                int filled = (int) Math.min(BAR, done * BAR / total);
                line.append('[').append("#".repeat(filled)).append("-".repeat(BAR - filled)).append("] ");
            }
            line.append(status);
            int width = line.length();
            if (width < drawnWidth) {
                line.append(" ".repeat(drawnWidth - width));
            }
            out.print("\r" + line);
            drawnWidth = width;
        } else {
            out.println(label + ": " + status);
        }
        out.flush();
    }

    /** {@code 42s}, {@code 3m07s}, {@code 1h02m}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
