package org.crossl.losses;

/**
 * A straightforward VICReg in plain Java double loops, written from the formula only, to check
 * {@link VicRegObjective}'s values independently of ND4J. Returns {invariance, variance, covariance}
 * weighted, as in {@link org.crossl.api.ObjectiveResult#terms()}.
 */
final class PlainVicReg {
    private PlainVicReg() {
    }

    static double[] terms(double[][] za, double[][] zb, double lambda, double mu, double nu, double eps) {
        int b = za.length;
        int d = za[0].length;
        double sq = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < d; j++) {
                double e = za[i][j] - zb[i][j];
                sq += e * e;
            }
        }
        double inv = sq / (b * d);
        double var = (hinge(za, eps) + hinge(zb, eps)) / 2;
        double cov = offDiagonal(za) + offDiagonal(zb);
        return new double[] {lambda * inv, mu * var, nu * cov};
    }

    /** mean_d relu(1 - sqrt(var_d + eps)), var biased. */
    static double hinge(double[][] z, double eps) {
        int d = z[0].length;
        double total = 0;
        for (int j = 0; j < d; j++) {
            total += Math.max(0, 1 - std(z, j, eps));
        }
        return total / d;
    }

    /** sqrt(var_j + eps) of column j, var biased (divided by B). */
    static double std(double[][] z, int j, double eps) {
        int b = z.length;
        double mean = 0;
        for (double[] row : z) {
            mean += row[j];
        }
        mean /= b;
        double v = 0;
        for (double[] row : z) {
            v += (row[j] - mean) * (row[j] - mean);
        }
        return Math.sqrt(v / b + eps);
    }

    /** sum_{i != j} C_ij^2 / D, C = z_c^T z_c / (B - 1). */
    static double offDiagonal(double[][] z) {
        int b = z.length;
        int d = z[0].length;
        double[] mean = new double[d];
        for (double[] row : z) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / b;
            }
        }
        double total = 0;
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                if (p == q) {
                    continue;
                }
                double c = 0;
                for (double[] row : z) {
                    c += (row[p] - mean[p]) * (row[q] - mean[q]);
                }
                c /= b - 1;
                total += c * c;
            }
        }
        return total / d;
    }
}
