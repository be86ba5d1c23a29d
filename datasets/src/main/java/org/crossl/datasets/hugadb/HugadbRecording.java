package org.crossl.datasets.hugadb;

import java.nio.file.Path;
import java.util.List;

/**
 * One HuGaDB file, read: the selected modalities' samples and the activity id of every sample.
 *
 * @param file       the file read
 * @param name       the file name without {@code .gz} ({@code HuGaDB_v1_walking_01_00.txt})
 * @param activity   the activity part of the name ({@code walking}, {@code various}, …)
 * @param subject    the participant id from the name
 * @param length     number of samples L
 * @param values     per selected modality, {@code L · C_m} values, time-major, channels last
 *                   (arrays may be longer than needed)
 * @param activities activity id of every sample (array may be longer than L)
 * @param invalid    per selected modality, the sample indices (increasing) where a channel held a
 *                   reading outside the sensor's range; such readings are stored as 0
 * @param invalidNotes one line per invalid reading: {@code file:line column=value}
 */
public record HugadbRecording(Path file, String name, String activity, int subject, int length, float[][] values,
                              int[] activities, int[][] invalid, List<String> invalidNotes) {

    /** True when modality m has an invalid reading in samples {@code [from, to)}. */
    public boolean invalid(int m, int from, int to) {
        for (int i : invalid[m]) {
            if (i >= from && i < to) {
                return true;
            }
            if (i >= to) {
                return false;
            }
        }
        return false;
    }
}
