package org.crossl.losses;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/** The input checks every objective of this module makes on the two views' embeddings. */
final class ViewPair {
    private ViewPair() {
    }

    /**
     * Two finite {@code [B, D]} float arrays of one shape and type, with B ≥ 2 and D ≥ 1.
     *
     * @param objective  the objective's name, for messages ({@code VICReg})
     * @param batchUnits what B counts and why it needs two, for the message (e.g. {@code samples
     *                   (variance and covariance are over the batch)})
     */
    static void check(String objective, String batchUnits, INDArray za, INDArray zb) {
        if (za == null || zb == null) {
            throw new IllegalArgumentException(objective + " needs two embeddings, got " + (za == null ? "null" : "an array") + " and "
                    + (zb == null ? "null" : "an array"));
        }
        if (za.rank() != 2 || zb.rank() != 2) {
            throw new IllegalArgumentException(objective + " embeddings must be [B, D] matrices, got shapes " + Arrays.toString(za.shape())
                    + " and " + Arrays.toString(zb.shape()));
        }
        if (!Arrays.equals(za.shape(), zb.shape())) {
            throw new IllegalArgumentException(objective + " embeddings of the two views must have the same shape, got "
                    + Arrays.toString(za.shape()) + " and " + Arrays.toString(zb.shape()));
        }
        if (za.size(0) < 2) {
            throw new IllegalArgumentException(objective + " needs a batch of at least 2 " + batchUnits + ", got B = " + za.size(0));
        }
        if (za.size(1) < 1) {
            throw new IllegalArgumentException(objective + " embeddings must have at least one dimension, got D = " + za.size(1));
        }
        if (!za.dataType().isFPType() || za.dataType() != zb.dataType()) {
            throw new IllegalArgumentException(objective + " embeddings must share one floating-point data type, got " + za.dataType()
                    + " and " + zb.dataType());
        }
        if (BooleanIndexing.or(za, Conditions.notFinite())) {
            throw new IllegalArgumentException(objective + " embedding za contains NaN or infinite values");
        }
        if (BooleanIndexing.or(zb, Conditions.notFinite())) {
            throw new IllegalArgumentException(objective + " embedding zb contains NaN or infinite values");
        }
    }
}
