package org.crossl.eval.heads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy and macro-F1 on a whole test set. Macro-F1 is the mean of per-class F1 over the classes
 * present in the true labels (protocols.md); a class never predicted and never true does not count.
 *
 * @param accuracy   fraction of windows predicted correctly
 * @param macroF1    mean per-class F1 over the classes present in {@code truth}
 * @param perClassF1 F1 of each class present in {@code truth}, by class name
 * @param count      number of windows scored
 * @param confusion  {@code confusion[t][p]}: windows of true class t predicted as p, over all classes
 */
public record ClassificationMetrics(double accuracy, double macroF1, Map<String, Double> perClassF1, int count, long[][] confusion) {

    public static ClassificationMetrics of(int[] truth, int[] predicted, List<String> classNames) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " labels but " + predicted.length + " predictions");
        }
        int k = classNames.size();
        long[] tp = new long[k];
        long[] fp = new long[k];
        long[] fn = new long[k];
        boolean[] present = new boolean[k];
        int correct = 0;
        long[][] confusion = new long[k][k];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
                throw new IllegalArgumentException("window " + i + ": label " + truth[i] + " / prediction " + predicted[i]
                        + " outside the " + k + " classes");
            }
            confusion[truth[i]][predicted[i]]++;
            present[truth[i]] = true;
            if (truth[i] == predicted[i]) {
                tp[truth[i]]++;
                correct++;
            } else {
                fn[truth[i]]++;
                fp[predicted[i]]++;
            }
        }
        Map<String, Double> perClass = new LinkedHashMap<>();
        List<Double> f1s = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (!present[c]) {
                continue;
            }
            double denom = 2.0 * tp[c] + fp[c] + fn[c];
            double f1 = denom == 0 ? 0 : 2.0 * tp[c] / denom;
            perClass.put(classNames.get(c), f1);
            f1s.add(f1);
        }
        double macro = f1s.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return new ClassificationMetrics(truth.length == 0 ? Double.NaN : (double) correct / truth.length, macro, perClass, truth.length,
                confusion);
    }
}
