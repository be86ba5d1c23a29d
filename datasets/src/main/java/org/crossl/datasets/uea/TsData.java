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
 * @param length      series length T (equal for every case and dimension)
 * @param values      per case, {@code D·T} values, dimension-major ({@code values[i][d·T + t]});
 *                    missing values are 0
 * @param missing     per case and dimension, true where the dimension had a missing value
 *                    ({@code ?} or {@code NaN})
 * @param labels      per case, the index into {@code classLabels}, or -1 without labels
 * @param lines       per case, its line number in the file
 */
public record TsData(Path file, String problemName, List<String> classLabels, int dimensions, int length,
                     float[][] values, boolean[][] missing, int[] labels, long[] lines) {

    public int cases() {
        return values.length;
    }

    public boolean labelled() {
        return !classLabels.isEmpty();
    }
}
