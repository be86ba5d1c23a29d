package org.crossl.aggregators;

/**
 * Multi-head scaled dot-product self-attention among the visible tokens of each sample, in plain
 * Java over doubles (token counts are tiny: M ≤ a dozen per sample).
 *
 * <p>Input {@code qkv [N, 3W]} (columns: Q, K, V, each split into H heads of width {@code dh = W/H}),
 * tokens grouped by sample as in {@link Visibility}. For tokens i, j of one sample and head h:
 * {@code S_ij = q_i·k_j / sqrt(dh)}, {@code P_ij = softmax_j(S_ij)}, {@code o_i = Σ_j P_ij v_j}.
 * Tokens of other samples and invisible modalities are not keys: this is the usual key mask with
 * score −∞ (weight exactly 0) for every hidden modality, with the hidden tokens' own (unused) query
 * rows simply not computed.
 *
 * <p>Backward, with {@code dP_ij = do_i·v_j}: {@code dv_j = Σ_i P_ij do_i},
 * {@code dS_ij = P_ij (dP_ij − Σ_k P_ik dP_ik)}, {@code dq_i = Σ_j dS_ij k_j / sqrt(dh)},
 * {@code dk_j = Σ_i dS_ij q_i / sqrt(dh)}.
 */
final class MaskedSelfAttention {
    private final Visibility vis;
    private final int heads;
    private final int width;
    private final int headDim;
    private final double scale;
    private final double[] qkv;
    private final double[] probs; // per sample b, head h: [n_b, n_b], at offset[b]·H + h·n_b²
    private final int[] offset;

    private MaskedSelfAttention(Visibility vis, int heads, int width, double[] qkv) {
        this.vis = vis;
        this.heads = heads;
        this.width = width;
        this.headDim = width / heads;
        this.scale = 1.0 / Math.sqrt(headDim);
        this.qkv = qkv;
        this.offset = new int[vis.batch() + 1];
        for (int b = 0; b < vis.batch(); b++) {
            offset[b + 1] = offset[b] + vis.size(b) * vis.size(b);
        }
        this.probs = new double[offset[vis.batch()] * heads];
    }

    /** Runs the forward pass, adding {@code o [N, W]} into {@code out} (zeros on entry). */
    static MaskedSelfAttention forward(Visibility vis, int heads, int width, double[] qkv, double[] out) {
        MaskedSelfAttention a = new MaskedSelfAttention(vis, heads, width, qkv);
        a.run(out);
        return a;
    }

    private void run(double[] out) {
        int stride = 3 * width;
        double[] s = new double[maxSize()];
        for (int b = 0; b < vis.batch(); b++) {
            int t0 = vis.start(b);
            int n = vis.size(b);
            for (int h = 0; h < heads; h++) {
                int qc = h * headDim;
                int kc = width + h * headDim;
                int vc = 2 * width + h * headDim;
                int base = offset[b] * heads + h * n * n;
                for (int i = 0; i < n; i++) {
                    int qi = (t0 + i) * stride + qc;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        int kj = (t0 + j) * stride + kc;
                        double dot = 0;
                        for (int k = 0; k < headDim; k++) {
                            dot += qkv[qi + k] * qkv[kj + k];
                        }
                        s[j] = dot * scale;
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    int oi = (t0 + i) * width + qc;
                    for (int j = 0; j < n; j++) {
                        double p = s[j] / sum;
                        probs[base + i * n + j] = p;
                        int vj = (t0 + j) * stride + vc;
                        for (int k = 0; k < headDim; k++) {
                            out[oi + k] += p * qkv[vj + k];
                        }
                    }
                }
            }
        }
    }

    /** @param gradOut dL/do {@code [N, W]}; returns dL/d(qkv) {@code [N, 3W]} */
    double[] backward(double[] gradOut) {
        int stride = 3 * width;
        double[] g = new double[qkv.length];
        double[] dp = new double[maxSize()];
        for (int b = 0; b < vis.batch(); b++) {
            int t0 = vis.start(b);
            int n = vis.size(b);
            for (int h = 0; h < heads; h++) {
                int qc = h * headDim;
                int kc = width + h * headDim;
                int vc = 2 * width + h * headDim;
                int base = offset[b] * heads + h * n * n;
                for (int i = 0; i < n; i++) {
                    int oi = (t0 + i) * width + qc;
                    int qi = (t0 + i) * stride + qc;
                    double weighted = 0;
                    for (int j = 0; j < n; j++) {
                        int vj = (t0 + j) * stride + vc;
                        double p = probs[base + i * n + j];
                        double dot = 0;
                        for (int k = 0; k < headDim; k++) {
                            dot += gradOut[oi + k] * qkv[vj + k];
                            g[vj + k] += p * gradOut[oi + k]; // dv_j
                        }
                        dp[j] = dot;
                        weighted += p * dot;
                    }
                    for (int j = 0; j < n; j++) {
                        double ds = probs[base + i * n + j] * (dp[j] - weighted) * scale;
                        int kj = (t0 + j) * stride + kc;
                        for (int k = 0; k < headDim; k++) {
                            g[qi + k] += ds * qkv[kj + k]; // dq_i
                            g[kj + k] += ds * qkv[qi + k]; // dk_j
                        }
                    }
                }
            }
        }
        return g;
    }

    private int maxSize() {
        int max = 1;
        for (int b = 0; b < vis.batch(); b++) {
            max = Math.max(max, vis.size(b));
        }
        return max;
    }
}
