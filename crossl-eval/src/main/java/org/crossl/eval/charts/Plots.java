package org.crossl.eval.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The report's PNG charts, drawn with Java2D (headless): line charts and heatmaps, no plotting
 * library. Colours come from a fixed palette so that an arm keeps its colour across charts.
 */
public final class Plots {
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127), new Color(188, 189, 34),
        new Color(23, 190, 207), new Color(0, 0, 128), new Color(218, 165, 32), new Color(0, 100, 0), new Color(128, 0, 0)};
    private static final int W = 900;
    private static final int H = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;

    private Plots() {
    }

    /**
     * Lines {@code series: name → y per x} over {@code xs}; {@code logX} spaces x logarithmically.
     * NaN values leave gaps.
     */
    public static void lines(Path file, String title, String xLabel, String yLabel, double[] xs, Map<String, double[]> series, boolean logX)
            throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, title);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (double x : xs) {
            double v = logX ? Math.log10(x) : x;
            xMin = Math.min(xMin, v);
            xMax = Math.max(xMax, v);
        }
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (double[] ys : series.values()) {
            for (double y : ys) {
                if (Double.isFinite(y)) {
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
        }
        if (!(yMax > yMin)) {
            yMin -= 0.5;
            yMax += 0.5;
        }
        double pad = (yMax - yMin) * 0.05;
        yMin -= pad;
        yMax += pad;
        if (!(xMax > xMin)) {
            xMin -= 1;
            xMax += 1;
        }
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        axes(g, xLabel, yLabel, pw, ph);
        for (int i = 0; i <= 4; i++) {
            double y = yMin + (yMax - yMin) * i / 4;
            int py = TOP + ph - (int) (ph * i / 4.0);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, py, LEFT + pw, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.3g", y), LEFT - 44, py + 5);
        }
        for (double x : xs) {
            double v = logX ? Math.log10(x) : x;
            int px = LEFT + (int) (pw * (v - xMin) / (xMax - xMin));
            g.drawString(String.format(Locale.ROOT, "%.3g", x), px - 12, TOP + ph + 20);
        }
        int k = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            g.setColor(PALETTE[k % PALETTE.length]);
            g.setStroke(new BasicStroke(2.5f));
            int prevX = -1;
            int prevY = -1;
            double[] ys = e.getValue();
            for (int i = 0; i < xs.length && i < ys.length; i++) {
                if (!Double.isFinite(ys[i])) {
                    prevX = -1;
                    continue;
                }
                double v = logX ? Math.log10(xs[i]) : xs[i];
                int px = LEFT + (int) (pw * (v - xMin) / (xMax - xMin));
                int py = TOP + ph - (int) (ph * (ys[i] - yMin) / (yMax - yMin));
                g.fillOval(px - 4, py - 4, 8, 8);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                prevX = px;
                prevY = py;
            }
            int step = series.size() > 16 ? 14 : 24;
            g.fillRect(W - RIGHT + 20, TOP + 10 + step * k, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), W - RIGHT + 36, TOP + 19 + step * k);
            k++;
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /** A heatmap of {@code values[row][column]} in [0, 1] (white → blue), each cell labelled. */
    public static void heatmap(Path file, String title, List<String> rows, List<String> columns, double[][] values) throws IOException {
        int cell = Math.max(28, Math.min(90, 700 / Math.max(1, columns.size())));
        int left = 190;
        int top = 60;
        int width = left + cell * columns.size() + 40;
        int height = top + 28 * rows.size() + 160;
        BufferedImage img = new BufferedImage(Math.max(width, 40 + 9 * title.length()), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, title);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int r = 0; r < rows.size(); r++) {
            g.setColor(Color.BLACK);
            g.drawString(rows.get(r), 10, top + 28 * r + 18);
            for (int c = 0; c < columns.size(); c++) {
                double v = values[r][c];
                float t = Double.isFinite(v) ? (float) Math.max(0, Math.min(1, v)) : 0f;
                g.setColor(Double.isFinite(v) ? new Color(1 - 0.8f * t, 1 - 0.6f * t, 1f) : Color.LIGHT_GRAY);
                g.fillRect(left + cell * c, top + 28 * r, cell - 2, 26);
                g.setColor(t > 0.6 ? Color.WHITE : Color.BLACK);
                g.drawString(Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "–", left + cell * c + 4, top + 28 * r + 18);
            }
        }
        g.setColor(Color.BLACK);
        for (int c = 0; c < columns.size(); c++) {
            Graphics2D r = (Graphics2D) g.create();
            r.translate(left + cell * c + cell / 2, top + 28 * rows.size() + 8);
            r.rotate(Math.PI / 3);
            r.drawString(columns.get(c), 0, 0);
            r.dispose();
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static Graphics2D canvas(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 20, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    private static void axes(Graphics2D g, String xLabel, String yLabel, int pw, int ph) {
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.drawString(xLabel, LEFT + pw / 2 - 40, H - 20);
        Graphics2D r = (Graphics2D) g.create();
        r.translate(18, TOP + ph / 2 + 40);
        r.rotate(-Math.PI / 2);
        r.drawString(yLabel, 0, 0);
        r.dispose();
    }
}
