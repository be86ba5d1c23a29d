package org.crossl.datasets.recordings;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import java.util.zip.GZIPOutputStream;
import org.crossl.datasets.split.SplitConfig;

/** Helpers that write small recording folders for the {@code recordings} tests. */
final class CsvFolders {
    private CsvFolders() {
    }

    static Path write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    static Path gz(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /** A CSV: the header, then {@code row.apply(i)} for i in 0..n-1, one per line. */
    static String csv(String header, int n, IntFunction<String> row) {
        StringBuilder sb = new StringBuilder(header).append('\n');
        for (int i = 0; i < n; i++) {
            sb.append(row.apply(i)).append('\n');
        }
        return sb.toString();
    }

    /** A single-channel file {@code v} whose sample i holds i. */
    static String ramp(int n) {
        return csv("v", n, Integer::toString);
    }

    static RecordingsConfig config(List<RecordingsConfig.Modality> modalities, RecordingsConfig.Labels labels, double window,
                                   Double stride, SplitConfig split) {
        return new RecordingsConfig("rec", null, null, modalities, labels, window, stride, null, null, null, split);
    }
}
