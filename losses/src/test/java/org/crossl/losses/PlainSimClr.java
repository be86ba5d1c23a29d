package org.crossl.losses;

/**
 * A straightforward NT-Xent in plain Java double loops, written from the formula only, to check
 * {@link SimClrObjective}'s value independently of ND4J.
 */
final class PlainSimClr {
    private PlainSimClr() {
    }

    /** (1/2B)·Σ_i [−s_{i,p(i)} + log Σ_{k≠i} exp(s_ik)], s_ik = u_i·u_k/τ over [za; zb]. */
    static double loss(double[][] za, double[][] zb, double tau) {
        int b = za.length;
        int n = 2 * b;
        double[][] u = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] row = i < b ? za[i] : zb[i - b];
            double sq = 0;
            for (double x : row) {
                sq += x * x;
            }
            double norm = Math.sqrt(sq + SimClrObjective.EPSILON * SimClrObjective.EPSILON);
            u[i] = new double[row.length];
            for (int j = 0; j < row.length; j++) {
                u[i][j] = row[j] / norm;
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            int positive = (i + b) % n;
            double[] logits = new double[n];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                if (k == i) {
                    continue;
                }
                double dot = 0;
                for (int j = 0; j < u[i].length; j++) {
                    dot += u[i][j] * u[k][j];
                }
                logits[k] = dot / tau;
                max = Math.max(max, logits[k]);
            }
            double sum = 0;
            for (int k = 0; k < n; k++) {
                if (k != i) {
                    sum += Math.exp(logits[k] - max);
                }
            }
            total += max + Math.log(sum) - logits[positive];
        }
        return total / n;
    }
}
