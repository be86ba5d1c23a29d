package org.crossl.losses;

/**
 * A straightforward Barlow Twins in plain Java double loops, written from the formula only, to check
 * {@link BarlowObjective}'s values independently of ND4J. Returns {invariance, redundancy} weighted
 * and scaled, as in {@link org.crossl.api.ObjectiveResult#terms()}.
 */
final class PlainBarlow {
    private PlainBarlow() {
    }

    static double[] terms(double[][] za, double[][] zb, double lambda, double scale, double eps) {
        int b = za.length;
        int d = za[0].length;
        double[][] a = standardise(za, eps);
        double[][] v = standardise(zb, eps);
        double on = 0;
        double off = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double c = 0;
                for (int n = 0; n < b; n++) {
                    c += a[n][i] * v[n][j];
                }
                c /= b;
                if (i == j) {
                    on += (1 - c) * (1 - c);
                } else {
                    off += c * c;
                }
            }
        }
        return new double[] {scale * on, scale * lambda * off};
    }

    /** (z − mean)/sqrt(var + eps) per column, var biased (÷B). */
    static double[][] standardise(double[][] z, double eps) {
        int b = z.length;
        int d = z[0].length;
        double[][] out = new double[b][d];
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (double[] row : z) {
                mean += row[j];
            }
            mean /= b;
            double var = 0;
            for (double[] row : z) {
                var += (row[j] - mean) * (row[j] - mean);
            }
            var /= b;
            double s = Math.sqrt(var + eps);
            for (int n = 0; n < b; n++) {
                out[n][j] = (z[n][j] - mean) / s;
            }
        }
        return out;
    }
}
