package org.crossl.datasets.window;

import java.util.List;
import java.util.Locale;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.spi.ConfigException;

/**
 * How a window gets one label from the per-sample labels it covers (the {@code labels:} section of
 * the readers that window continuous recordings). Windows that get no label are kept, unlabelled,
 * for pretraining.
 *
 * <ul>
 *   <li>{@code uniform} (default, the protocols' rule): every sample has the same label;</li>
 *   <li>{@code majority}: the most frequent label covers at least {@code minFraction} of the
 *       window's samples (unlabelled samples count against it); ties go to the smaller id;</li>
 *   <li>{@code center}: the label of the middle sample ({@code start + length/2}).</li>
 * </ul>
 *
 * @param policy      {@code uniform}, {@code majority} or {@code center}
 * @param minFraction for {@code majority}: in (0, 1], default 0.5
 */
public record LabelPolicy(String policy, Double minFraction) {

    public static final List<String> POLICIES = List.of("uniform", "majority", "center");

    public LabelPolicy {
        policy = policy == null || policy.isBlank() ? "uniform" : policy.strip().toLowerCase(Locale.ROOT);
        if (!POLICIES.contains(policy)) {
            throw new ConfigException("policy", "unknown label policy '" + policy + "'; known: " + POLICIES);
        }
        if (minFraction != null && !policy.equals("majority")) {
            throw new ConfigException("minFraction", "only applies to policy: majority (policy is " + policy + ")");
        }
        minFraction = minFraction == null ? (policy.equals("majority") ? 0.5 : null) : minFraction;
        if (minFraction != null && !(minFraction > 0 && minFraction <= 1)) {
            throw new ConfigException("minFraction", "must be in (0, 1], got " + minFraction);
        }
    }

    /** The protocols' rule: one label over the whole window. */
    public static LabelPolicy uniform() {
        return new LabelPolicy("uniform", null);
    }

    /**
     * The label id of the window {@code ids[start, start + length)}, or
     * {@link WindowBatch#UNLABELLED}. Ids are small non-negative integers; a negative id marks an
     * unlabelled sample.
     */
    public int label(int[] ids, int start, int length) {
        switch (policy) {
            case "center" -> {
                return Math.max(ids[start + length / 2], WindowBatch.UNLABELLED);
            }
            case "uniform" -> {
                int first = ids[start];
                if (first < 0) {
                    return WindowBatch.UNLABELLED;
                }
                for (int i = start + 1; i < start + length; i++) {
                    if (ids[i] != first) {
                        return WindowBatch.UNLABELLED;
                    }
                }
                return first;
            }
            default -> {
                int best = WindowBatch.UNLABELLED;
                int bestCount = 0;
                // windows are short: a quadratic-free count over the distinct ids seen so far
                int[] seen = new int[8];
                int[] counts = new int[8];
                int distinct = 0;
                for (int i = start; i < start + length; i++) {
                    int id = ids[i];
                    if (id < 0) {
                        continue;
                    }
                    int k = 0;
                    while (k < distinct && seen[k] != id) {
                        k++;
                    }
                    if (k == distinct) {
                        if (distinct == seen.length) {
                            seen = java.util.Arrays.copyOf(seen, distinct * 2);
                            counts = java.util.Arrays.copyOf(counts, distinct * 2);
                        }
                        seen[distinct] = id;
                        distinct++;
                    }
                    counts[k]++;
                }
                for (int k = 0; k < distinct; k++) {
                    if (counts[k] > bestCount || (counts[k] == bestCount && seen[k] < best)) {
                        best = seen[k];
                        bestCount = counts[k];
                    }
                }
                return bestCount > 0 && bestCount >= minFraction * length ? best : WindowBatch.UNLABELLED;
            }
        }
    }

    @Override
    public String toString() {
        return policy.equals("majority") ? "majority(" + minFraction + ")" : policy;
    }
}
