package org.crossl.eval.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    @Test
    void lineChartWithGapsOnLogAxis() throws IOException {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("supervised", new double[] {0.31, 0.45, Double.NaN, 0.70, 0.78});
        series.put("crossl", new double[] {0.40, 0.58, 0.66, 0.74, 0.80});
        series.put("short", new double[] {0.2, 0.3}); // ends early: NaN past its end
        Path file = dir.resolve("f1.png"); // the exact name: no extension appended

        Plots.lines(file, "Test macro-F1 against label fraction", "label fraction (log scale)", "macro-F1",
                new double[] {0.01, 0.05, 0.1, 0.25, 1.0}, series, true);

        BufferedImage img = readPng(file);
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(img.getHeight()).isEqualTo(560);
        assertThat(distinctColours(img)).as("something was drawn").isGreaterThan(20);
        // the markers of the first series are filled with the first palette colour
        assertThat(count(img, new Color(31, 119, 180))).isGreaterThan(50);
    }

    @Test
    void lineChartWithoutAnyFiniteValueOrPositiveXStillDraws() throws IOException {
        Path file = dir.resolve("empty.png");

        Plots.lines(file, "nothing yet", "epoch", "loss", new double[] {0, 1, 2},
                Map.of("loss", new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NaN}), true);

        BufferedImage img = readPng(file);
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(distinctColours(img)).isGreaterThan(2);
    }

    @Test
    void heatmapWithNanCellAndManyColumns() throws IOException {
        List<String> rows = List.of("supervised", "crossl", "crossl-no-mask");
        List<String> columns = new ArrayList<>();
        columns.add("none");
        for (int c = 1; c < 24; c++) {
            columns.add("wrist+ankle-" + c);
        }
        double[][] values = new double[rows.size()][columns.size()];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                values[r][c] = (r * columns.size() + c) / (double) (rows.size() * columns.size());
            }
        }
        values[1][3] = Double.NaN;
        values[2][columns.size() - 1] = 1.0;
        String title = "Macro-F1 with devices absent at test time (label fraction 1.0)";
        Path file = dir.resolve("missing_devices.png");

        Plots.heatmap(file, title, rows, columns, values);

        BufferedImage img = readPng(file);
        Dimension expected = Plots.heatmapSize(title, rows, columns);
        assertThat(img.getWidth()).isEqualTo(expected.width);
        assertThat(img.getHeight()).isEqualTo(expected.height);
        assertThat(img.getWidth()).as("room for 24 columns").isGreaterThan(24 * 30);
        assertThat(distinctColours(img)).as("something was drawn").isGreaterThan(20);
        assertThat(count(img, Plots.MISSING)).as("the NaN cell shows as grey").isGreaterThan(200);
        assertThat(count(img, Plots.HEAT_HIGH)).as("a cell at 1.0").isGreaterThan(200);
    }

    @Test
    void heatmapOfOnlyNaN() throws IOException {
        Path file = dir.resolve("confusion.png");
        List<String> classes = List.of("walk", "run");

        Plots.heatmap(file, "Confusion", classes, classes, new double[][] {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}});

        BufferedImage img = readPng(file);
        assertThat(count(img, Plots.MISSING)).isGreaterThan(1000);
    }

    private static BufferedImage readPng(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            assertThat(in.readNBytes(PNG_SIGNATURE.length)).isEqualTo(PNG_SIGNATURE);
        }
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img).isNotNull();
        return img;
    }

    private static int distinctColours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                seen.add(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return seen.size();
    }

    private static int count(BufferedImage img, Color colour) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }
}
