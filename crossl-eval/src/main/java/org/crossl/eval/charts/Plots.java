package org.crossl.eval.charts;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;

/**
 * The report's PNG charts: line charts and heatmaps, drawn with XChart and written with its
 * {@link BitmapEncoder}. XChart does the layout that hand-written Java2D had to do itself (round
 * axis ticks, a logarithmic axis, legends that size themselves, rotated category labels), and it
 * draws with plain AWT, so it adds no native or GUI dependency. Only its PNG export is used, which
 * is why the module's POM leaves out the libraries of the PDF/SVG/GIF exporters.
 *
 * <p>Drawing is headless: there is no display on the machines that run evaluations or the tests.
 * Colours come from a fixed palette so that an arm keeps its colour across charts.
 */
public final class Plots {
    static {
        // Must precede the first use of AWT in this JVM: afterwards the toolkit has already decided.
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127), new Color(188, 189, 34),
        new Color(23, 190, 207), new Color(0, 0, 128), new Color(218, 165, 32), new Color(0, 100, 0), new Color(128, 0, 0)};
    /** Size of every line chart. */
    static final int LINES_WIDTH = 900;
    static final int LINES_HEIGHT = 560;
    /** The heatmap's colour scale, for values 0 and 1. */
    static final Color HEAT_LOW = Color.WHITE;
    static final Color HEAT_HIGH = new Color(51, 102, 255);
    /** Shows through where a heatmap cell is NaN (no cell is drawn there). */
    static final Color MISSING = new Color(205, 205, 205);
    private static final Color GRID = new Color(225, 225, 225);
    private static final int ROW_HEIGHT = 30;

    private Plots() {
    }

    /**
     * Lines {@code series: name → y per x} over {@code xs}, with a marker on each point;
     * {@code logX} spaces x logarithmically (only possible, and so only done, when every x is
     * positive). NaN values leave gaps; a series shorter than {@code xs} is NaN past its end.
     */
    public static void lines(Path file, String title, String xLabel, String yLabel, double[] xs, Map<String, double[]> series, boolean logX)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(LINES_WIDTH).height(LINES_HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        XYStyler s = chart.getStyler();
        commonStyle(s);
        s.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setSeriesColors(PALETTE);
        s.setMarkerSize(xs.length > 60 ? 4 : 7); // long runs: markers would merge into a thick line
        s.setLegendPosition(LegendPosition.OutsideE);
        // the pretraining chart has a series per loss term and variant: keep its legend on the canvas
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, series.size() > 12 ? 10 : 12));
        s.setLegendPadding(series.size() > 12 ? 4 : 8);
        boolean canLog = xs.length > 0 && Arrays.stream(xs).allMatch(x -> x > 0);
        s.setXAxisLogarithmic(logX && canLog);
        if (logX && canLog) {
            // decade-only labels leave a span of less than a decade without any
            s.setXAxisLogarithmicDecadeOnly(max(xs) / min(xs) >= 10);
        }
        boolean anyFinite = false;
        if (xs.length > 0) {
            for (Map.Entry<String, double[]> e : series.entrySet()) {
                // XChart gaps a line at NaN but would stretch the axis to an infinity
                double[] ys = new double[xs.length];
                for (int i = 0; i < xs.length; i++) {
                    double y = i < e.getValue().length ? e.getValue()[i] : Double.NaN;
                    ys[i] = Double.isFinite(y) ? y : Double.NaN;
                    anyFinite |= Double.isFinite(y);
                }
                chart.addSeries(e.getKey(), xs.clone(), ys);
            }
        }
        if (!anyFinite) {
            // nothing to scale the y axis by
            s.setYAxisMin(0.0);
            s.setYAxisMax(1.0);
        }
        write(chart, file);
    }

    /**
     * A heatmap of {@code values[row][column]} in [0, 1] (white → blue; values outside are drawn
     * at the nearer end), each cell labelled with its value, rows top to bottom in the given order,
     * with a colour scale. NaN cells are left grey and unlabelled. There must be at least one row
     * and one column.
     */
    public static void heatmap(Path file, String title, List<String> rows, List<String> columns, double[][] values) throws IOException {
        if (rows.isEmpty() || columns.isEmpty()) {
            throw new IllegalArgumentException("a heatmap needs at least one row and one column: " + title);
        }
        Dimension size = heatmapSize(title, rows, columns);
        HeatMapChart chart = new HeatMapChartBuilder().width(size.width).height(size.height).title(title).build();
        HeatMapStyler s = chart.getStyler();
        commonStyle(s);
        s.setRangeColors(new Color[] {HEAT_LOW, HEAT_HIGH});
        // a fixed scale, so that the same colour means the same value in every report
        s.setMin(0);
        s.setMax(1);
        s.setShowValue(true);
        // XChart formats cell values with the JVM's default locale; only the pattern is ours
        s.setHeatMapValueDecimalPattern("0.00");
        s.setHeatMapDecimalValueFormatter(v -> String.format(Locale.ROOT, "%.2f", v));
        s.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(13, cellWidth(columns.size()) * 10 / 32))));
        s.setValueFontColor(Color.BLACK);
        s.setLegendPosition(LegendPosition.OutsideE);
        s.setGradientColorColumnHeight(Math.max(60, Math.min(200, ROW_HEIGHT * rows.size())));
        s.setGradientColorColumnWeight(20);
        // cells fill the plot, so the background shows only where a NaN cell was left out
        s.setPlotContentSize(1.0);
        s.setPlotBackgroundColor(MISSING);
        s.setPlotGridLinesVisible(false);
        s.setXAxisLabelRotation(columnsRotated(columns) ? 45 : 0);

        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                double v = values[r][c];
                if (Double.isFinite(v)) {
                    // XChart counts y from the bottom: row 0 goes on top
                    cells.add(new Number[] {c, rows.size() - 1 - r, v});
                }
            }
        }
        if (cells.isEmpty()) {
            cells.add(null); // XChart refuses an empty series but skips null cells
        }
        List<String> bottomUp = new ArrayList<>(rows);
        Collections.reverse(bottomUp);
        chart.addSeries("values", new ArrayList<>(columns), bottomUp, cells);
        write(chart, file);
    }

    /** The heatmap's canvas: room for the labels, the cells and the colour scale. */
    static Dimension heatmapSize(String title, List<String> rows, List<String> columns) {
        int rowLabels = Math.min(260, 7 * longest(rows) + 20);
        int columnLabels = columnsRotated(columns) ? Math.min(220, 6 * longest(columns) + 20) : 24;
        int width = 40 + rowLabels + cellWidth(columns.size()) * columns.size() + 100;
        int height = 70 + ROW_HEIGHT * rows.size() + columnLabels;
        return new Dimension(Math.max(Math.max(width, 400), 40 + 8 * title.length()), Math.max(height, 300));
    }

    private static int cellWidth(int columns) {
        return Math.max(36, Math.min(90, 720 / Math.max(1, columns)));
    }

    private static boolean columnsRotated(List<String> columns) {
        return 7 * longest(columns) > cellWidth(columns.size()) - 6;
    }

    private static int longest(List<String> labels) {
        return labels.stream().mapToInt(String::length).max().orElse(0);
    }

    private static void commonStyle(org.knowm.xchart.style.AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(GRID);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setLocale(Locale.ROOT);
        s.setToolTipsEnabled(false);
    }

    private static void write(Chart<?, ?> chart, Path file) throws IOException {
        // the stream, not a file name: BitmapEncoder would append ".png" to a name lacking it
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG);
        }
    }

    private static double min(double[] xs) {
        return Arrays.stream(xs).min().orElse(Double.NaN);
    }

    private static double max(double[] xs) {
        return Arrays.stream(xs).max().orElse(Double.NaN);
    }
}
