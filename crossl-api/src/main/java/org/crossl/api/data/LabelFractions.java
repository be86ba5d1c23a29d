package org.crossl.api.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Draws a fraction of the labelled windows, stratified by class, for few-label training.
 *
 * <p>Of the {@code n_c} labelled windows of class c, {@code max(1, round(fraction · n_c))} are
 * drawn without replacement with {@link Random}{@code (seed)} (classes in increasing index
 * order, each class's windows shuffled in index order), so every class present keeps at least one
 * window and the same seed gives the same windows. Unlabelled windows are never drawn.
 */
public final class LabelFractions {

    private LabelFractions() {
    }

    /**
     * @param labels   class index per window, or {@link WindowBatch#UNLABELLED}
     * @param fraction in (0, 1]; 1 takes every labelled window
     * @return indices of the drawn windows, increasing
     */
    public static int[] draw(int[] labels, double fraction, long seed) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("label fraction must be in (0, 1], got " + fraction);
        }
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != WindowBatch.UNLABELLED) {
                byClass.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
            }
        }
        Random random = new Random(seed);
        List<Integer> out = new ArrayList<>();
        for (List<Integer> members : byClass.values()) {
            int k = Math.max(1, (int) Math.round(fraction * members.size()));
            if (k >= members.size()) {
                out.addAll(members);
                continue;
            }
            List<Integer> shuffled = new ArrayList<>(members);
            java.util.Collections.shuffle(shuffled, random);
            out.addAll(shuffled.subList(0, k));
        }
        int[] idx = out.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(idx);
        return idx;
    }
}
