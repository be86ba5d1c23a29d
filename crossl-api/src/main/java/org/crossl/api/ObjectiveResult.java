package org.crossl.api;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The value of an objective on one pair of views and its gradients.
 *
 * @param loss  the scalar loss
 * @param terms named parts of the loss, already weighted so that they add up to {@code loss}
 *              (VICReg: invariance, variance, covariance); keys as in {@link SSLObjective#termNames()}
 * @param gradA dL/dZ_a, {@code [B, Dz]}
 * @param gradB dL/dZ_b, {@code [B, Dz]}
 */
public record ObjectiveResult(double loss, Map<String, Double> terms, INDArray gradA, INDArray gradB) {
}
