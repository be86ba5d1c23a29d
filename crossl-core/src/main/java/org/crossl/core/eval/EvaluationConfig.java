package org.crossl.core.eval;

import java.util.List;
import java.util.Locale;
import org.crossl.api.spi.ConfigException;
import org.crossl.core.model.CrosslModel;

/**
 * The {@code evaluation:} section of a config: which arms, label fractions and seeds
 * {@code crossl evaluate} runs, and how the heads train. Defaults follow protocols.md.
 *
 * @param arms           any of {@code crossl-probe}, {@code crossl-finetune}, {@code supervised},
 *                       {@code crossl-random-mask}, {@code simclr}; default all five
 * @param labelFractions fractions of the labelled training windows, drawn per class; default 0.01, 0.05, 0.1, 1.0
 * @param seeds          default 0, 1, 2
 * @param features       what heads read: {@code global} (Z, default) or {@code modalities}
 * @param headEpochs     most epochs of head training (probe and fine-tune); default 30
 * @param headBatchSize  default 64
 * @param headPatience   epochs without a better validation macro-F1 before stopping; default 5
 * @param probeLearningRate    Adam's rate for linear probes; default 0.01
 * @param finetuneLearningRate Adam's rate for fine-tuning and the supervised baseline; default 0.001
 * @param missingDevices evaluate every non-empty proper subset of devices absent; default true
 */
public record EvaluationConfig(List<String> arms, List<Double> labelFractions, List<Long> seeds, String features, Integer headEpochs,
                               Integer headBatchSize, Integer headPatience, Double probeLearningRate, Double finetuneLearningRate,
                               Boolean missingDevices) {

    public static final List<String> ARMS = List.of("crossl-probe", "crossl-finetune", "supervised", "crossl-random-mask", "simclr");

    public EvaluationConfig {
        arms = arms == null ? ARMS : List.copyOf(arms);
        for (String a : arms) {
            if (!ARMS.contains(a)) {
                throw new ConfigException("arms", "unknown arm '" + a + "'; known: " + ARMS);
            }
        }
        if (arms.isEmpty()) {
            throw new ConfigException("arms", "name at least one of " + ARMS);
        }
        labelFractions = labelFractions == null ? List.of(0.01, 0.05, 0.1, 1.0) : List.copyOf(labelFractions);
        for (Double f : labelFractions) {
            if (f == null || !(f > 0 && f <= 1)) {
                throw new ConfigException("labelFractions", "fractions must be in (0, 1], got " + f);
            }
        }
        seeds = seeds == null ? List.of(0L, 1L, 2L) : List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new ConfigException("seeds", "name at least one seed");
        }
        features = features == null ? "global" : features.strip().toLowerCase(Locale.ROOT);
        if (!features.equals("global") && !features.equals("modalities")) {
            throw new ConfigException("features", "must be 'global' (the aggregator's Z) or 'modalities' (concatenated modality embeddings), got '" + features + "'");
        }
        headEpochs = headEpochs == null ? 30 : headEpochs;
        headBatchSize = headBatchSize == null ? 64 : headBatchSize;
        headPatience = headPatience == null ? 5 : headPatience;
        if (headEpochs < 1 || headBatchSize < 2 || headPatience < 1) {
            throw new ConfigException(headEpochs < 1 ? "headEpochs" : headBatchSize < 2 ? "headBatchSize" : "headPatience",
                    "needs headEpochs ≥ 1, headBatchSize ≥ 2, headPatience ≥ 1");
        }
        probeLearningRate = probeLearningRate == null ? 0.01 : probeLearningRate;
        finetuneLearningRate = finetuneLearningRate == null ? 0.001 : finetuneLearningRate;
        if (!(probeLearningRate > 0) || !(finetuneLearningRate > 0)) {
            throw new ConfigException(probeLearningRate > 0 ? "finetuneLearningRate" : "probeLearningRate", "must be positive");
        }
        missingDevices = missingDevices == null || missingDevices;
    }

    public CrosslModel.Features featureKind() {
        return features.equals("global") ? CrosslModel.Features.GLOBAL : CrosslModel.Features.MODALITIES;
    }
}
