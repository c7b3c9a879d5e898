package ser.pipeline.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import ser.api.EpochMetrics;
import ser.pipeline.util.AtomicFiles;

/** The PNG charts of a training run: accuracy and loss per epoch, and the confusion matrix. */
public final class Charts {

    static {
        // Charts are drawn off-screen; never try to reach a display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final Color TRAIN = new Color(31, 119, 180);
    private static final Color VALIDATION = new Color(255, 127, 14);
    private static final Color BEST = new Color(44, 160, 44);

    /** Which curve of the history to draw. */
    public enum Curve {
        ACCURACY("Accuracy", "accuracy"), LOSS("Loss", "loss");

        private final String title;
        private final String axis;

        Curve(String title, String axis) {
            this.title = title;
            this.axis = axis;
        }
    }

    private Charts() {
    }

    /**
     * Train and validation curves against epoch, with the best epoch (the one whose weights the
     * model keeps) marked by a vertical line and a marker on the validation curve. A history with
     * no finite validation value (no validation part) draws the training curve alone, and the line
     * marks the kept epoch.
     */
    public static byte[] trainingCurve(List<EpochMetrics> history, int bestEpoch, Curve curve, String subtitle) {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title(curve.title + " per epoch" + (subtitle == null || subtitle.isBlank() ? "" : " — " + subtitle))
                .xAxisTitle("epoch").yAxisTitle(curve.axis).build();
        Styler styler = chart.getStyler();
        // Below the plot, in one row: never on top of a curve or the best-epoch line.
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setYAxisDecimalPattern(curve == Curve.ACCURACY ? "0.00" : "0.000");
        int n = history.size();
        double[] epochs = new double[n];
        double[] train = new double[n];
        double[] validation = new double[n];
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        boolean validated = false;
        for (int i = 0; i < n; i++) {
            EpochMetrics m = history.get(i);
            epochs[i] = m.epoch();
            train[i] = curve == Curve.ACCURACY ? m.accuracy() : m.loss();
            validation[i] = curve == Curve.ACCURACY ? m.validationAccuracy() : m.validationLoss();
            validated |= Double.isFinite(validation[i]);
            for (double v : new double[] {train[i], validation[i]}) {
                if (Double.isFinite(v)) {
                    low = Math.min(low, v);
                    high = Math.max(high, v);
                }
            }
        }
        if (n == 0 || !Double.isFinite(low)) {
            epochs = new double[] {1};
            train = new double[] {0};
            validation = new double[] {0};
            low = 0;
            high = 1;
        }
        if (curve == Curve.ACCURACY) {
            low = 0;
            high = 1;
        } else {
            // One value (a single epoch without validation) still gets a readable axis around it.
            double pad = Math.max(1e-6, high > low ? (high - low) * 0.05 : Math.abs(high) * 0.05);
            low = Math.max(0, low - pad);
            high = high + pad;
        }
        chart.getStyler().setYAxisMin(low);
        chart.getStyler().setYAxisMax(high);
        chart.getStyler().setXAxisMin(epochs[0] - 0.5 > 0 ? epochs[0] - 0.5 : 0);
        chart.getStyler().setXAxisMax(epochs[epochs.length - 1] + 0.5);
        boolean markers = n <= 40;
        XYSeries t = chart.addSeries("train", epochs, clean(train));
        t.setLineColor(TRAIN);
        t.setMarkerColor(TRAIN);
        t.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        t.setLineWidth(2f);
        if (validated) {
            XYSeries v = chart.addSeries("validation", epochs, clean(validation));
            v.setLineColor(VALIDATION);
            v.setMarkerColor(VALIDATION);
            v.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            v.setLineWidth(2f);
        }
        int bestIndex = -1;
        for (int i = 0; i < n; i++) {
            if (history.get(i).epoch() == bestEpoch) {
                bestIndex = i;
            }
        }
        if (bestIndex >= 0) {
            XYSeries line = chart.addSeries((validated ? "best epoch (" : "kept epoch, no validation part (") + bestEpoch + ")",
                    new double[] {bestEpoch, bestEpoch}, new double[] {low, high});
            line.setLineColor(BEST);
            line.setLineStyle(SeriesLines.DASH_DASH);
            line.setMarker(SeriesMarkers.NONE);
        }
        if (bestIndex >= 0 && Double.isFinite(validation[bestIndex])) {
            XYSeries point = chart.addSeries(String.format(Locale.ROOT, "validation at best: %.4f", validation[bestIndex]),
                    new double[] {bestEpoch}, new double[] {validation[bestIndex]});
            point.setMarker(SeriesMarkers.DIAMOND);
            point.setMarkerColor(BEST);
            point.setLineColor(BEST);
            point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        chart.getStyler().setMarkerSize(bestIndex >= 0 && !markers ? 10 : 7);
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] clean(double[] values) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                out[i] = Double.NaN;
            }
        }
        return out;
    }

    /**
     * A confusion-matrix heat map: counts in the cells, shaded by the share of the true class
     * (the row), class names on both axes, row supports on the right.
     *
     * @param confusion {@code [true][predicted]}
     * @param names     class names, in matrix order
     */
    public static byte[] confusion(int[][] confusion, List<String> names, String title) {
        int k = names.size();
        int cell = k <= 8 ? 78 : Math.max(28, 640 / k);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        Font cellFont = new Font(Font.SANS_SERIF, Font.BOLD, cell >= 60 ? 17 : 12);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 17);
        Font axisFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        int nameWidth = 0;
        for (String name : names) {
            nameWidth = Math.max(nameWidth, pg.getFontMetrics(labelFont).stringWidth(name));
        }
        int titleWidth = pg.getFontMetrics(titleFont).stringWidth(title);
        pg.dispose();
        int left = 40 + nameWidth + 16;
        int top = 70;
        int gridSize = k * cell;
        int right = 90;
        int bottom = nameWidth + 60;
        int width = Math.max(left + gridSize + right, titleWidth + 40);
        int height = top + gridSize + bottom;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(titleFont);
            centered(g, title, width / 2, 32);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.DARK_GRAY);
            centered(g, "cell = count; shade = share of the true class's utterances", width / 2, 52);
            for (int t = 0; t < k; t++) {
                int support = 0;
                for (int p = 0; p < k; p++) {
                    support += confusion[t][p];
                }
                for (int p = 0; p < k; p++) {
                    int count = confusion[t][p];
                    double share = support == 0 ? 0 : count / (double) support;
                    Color fill = shade(share);
                    int x = left + p * cell;
                    int y = top + t * cell;
                    g.setColor(fill);
                    g.fillRect(x, y, cell, cell);
                    g.setColor(new Color(200, 200, 200));
                    g.drawRect(x, y, cell, cell);
                    g.setFont(cellFont);
                    g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                    centered(g, Integer.toString(count), x + cell / 2, y + cell / 2 + g.getFontMetrics().getAscent() / 2 - 2);
                }
                g.setFont(labelFont);
                g.setColor(Color.BLACK);
                FontMetrics fm = g.getFontMetrics();
                String name = names.get(t);
                int ty = top + t * cell + cell / 2 + fm.getAscent() / 2 - 2;
                g.drawString(name, left - 10 - fm.stringWidth(name), ty);
                g.setColor(Color.DARK_GRAY);
                g.drawString("n=" + support, left + gridSize + 8, ty);
            }
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            g.drawRect(left, top, gridSize, gridSize);
            // Predicted class names, rotated, under the grid.
            g.setFont(labelFont);
            AffineTransform saved = g.getTransform();
            for (int p = 0; p < k; p++) {
                FontMetrics fm = g.getFontMetrics();
                String name = names.get(p);
                int x = left + p * cell + cell / 2 + fm.getAscent() / 2 - 2;
                int y = top + gridSize + 10;
                g.rotate(Math.toRadians(90), x, y);
                g.drawString(name, x, y);
                g.setTransform(saved);
            }
            g.setFont(axisFont);
            centered(g, "predicted emotion", left + gridSize / 2, height - 14);
            int ax = 22;
            int ay = top + gridSize / 2;
            g.rotate(Math.toRadians(-90), ax, ay);
            centered(g, "true emotion", ax, ay);
            g.setTransform(saved);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    private static Color shade(double share) {
        // White to dark blue.
        double s = Math.max(0, Math.min(1, share));
        int r = (int) Math.round(247 - s * (247 - 8));
        int gr = (int) Math.round(251 - s * (251 - 48));
        int b = (int) Math.round(255 - s * (255 - 107));
        return new Color(r, gr, b);
    }

    private static void centered(Graphics2D g, String text, int cx, int baseline) {
        g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }

    /** Writes a PNG atomically. */
    public static void write(Path file, byte[] png) throws IOException {
        AtomicFiles.write(file, out -> out.write(png));
    }
}
