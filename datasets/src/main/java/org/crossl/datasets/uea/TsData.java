package org.crossl.datasets.uea;

import java.nio.file.Path;
import java.util.List;

/**
 * The cases of one {@code .ts} file.
 *
 * @param file        the file read
 * @param problemName {@code @problemName}, or null when the header has none
 * @param classLabels the labels declared by {@code @classLabel true …}, in header order; empty when
 *                    the file has no class labels
 * @param dimensions  number of dimensions (channels) D
 * @param equalLength false when the header says {@code @equalLength false}
 * @param lengths     per case, its length T_i (the same for all its dimensions)
 * @param values      per case, {@code D·T_i} values, dimension-major ({@code values[i][d·T_i + t]});
 *                    missing values are 0
 * @param missing     per case and dimension, true where the dimension had a missing value
 *                    ({@code ?} or {@code NaN})
 * @param labels      per case, the index into {@code classLabels}, or -1 without labels
 * @param lines       per case, its line number in the file
 */
public record TsData(Path file, String problemName, List<String> classLabels, int dimensions, boolean equalLength, int[] lengths,
                     float[][] values, boolean[][] missing, int[] labels, long[] lines) {

    /** The longest case's length. */
    public int maxLength() {
        int m = 0;
        for (int x : lengths) {
            m = Math.max(m, x);
        }
        return m;
    }

    /** The shortest case's length. */
    public int minLength() {
        int m = Integer.MAX_VALUE;
        for (int x : lengths) {
            m = Math.min(m, x);
        }
        return m;
    }

    /** True when every case has the same length. */
    public boolean allSameLength() {
        return minLength() == maxLength();
    }

    public int cases() {
        return values.length;
    }

    public boolean labelled() {
        return !classLabels.isEmpty();
    }
}
