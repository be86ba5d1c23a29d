package org.crossl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.crossl.api.spi.ConfigException;
import org.crossl.core.config.Json;
import org.crossl.core.model.CrosslModel;
import org.crossl.eval.heads.Downstream;

/**
 * The {@code evaluation:} section of a config: which arms, label fractions and seeds
 * {@code crossl evaluate} runs, and how the heads train. Defaults follow protocols.md.
 *
 * @param arms           built-in arm names ({@link Arm#BUILT_IN}: {@code crossl-probe},
 *                       {@code crossl-finetune}, {@code supervised}, {@code crossl-random-mask},
 *                       {@code simclr}) or arm mappings ({@link Arm}); default the five built-ins
 * @param labelFractions fractions of the labelled training windows, drawn per class; default 0.01, 0.05, 0.1, 1.0
 * @param seeds          default 0, 1, 2
 * @param features       what heads read unless an arm says otherwise: {@code global} (Z, default),
 *                       {@code modalities} (the concatenated modality embeddings) or {@code both}
 * @param classifier     the head unless an arm says otherwise: {@code linear} (default) or {@code mlp}
 *                       (the reference code's Dense 128 → ReLU → Dropout 0.1 → Dense)
 * @param headEpochs     most epochs of head training (probe and fine-tune); default 30
 * @param headBatchSize  default 64
 * @param headPatience   epochs without a better validation macro-F1 before stopping; default 5
 * @param probeLearningRate    Adam's rate for probes; default 0.01
 * @param finetuneLearningRate Adam's rate for fine-tuning and the supervised baseline; default 0.001
 * @param backboneLearningRateScale fine-tuning of a pretrained model: the encoders' and
 *                       aggregator's rate is the head's times this; default 1 (the supervised
 *                       baseline, which has nothing to keep, always uses 1)
 * @param probeEpochs    fine-tuning of a pretrained model: epochs of head-only training before the
 *                       model joins in; default 0
 * @param missingDevices evaluate subsets of devices absent at test time; default true
 * @param maxMissingSubsets score every non-empty proper subset of devices when there are at most
 *                       this many (default 62: every subset of up to 6 devices); beyond it, score
 *                       each device missing alone, each device left alone, and
 *                       {@code missingSample} further subsets drawn with a fixed seed
 * @param missingSample  the size of that draw; default 16
 */
public record EvaluationConfig(List<JsonNode> arms, List<Double> labelFractions, List<Long> seeds, String features, String classifier,
                               Integer headEpochs, Integer headBatchSize, Integer headPatience, Double probeLearningRate,
                               Double finetuneLearningRate, Double backboneLearningRateScale, Integer probeEpochs, Boolean missingDevices,
                               Integer maxMissingSubsets, Integer missingSample) {

    /** The names of the built-in arms, in the protocol's order. */
    public static final List<String> ARMS = List.copyOf(Arm.BUILT_IN.keySet());

    public EvaluationConfig {
        if (arms == null) {
            List<JsonNode> d = new ArrayList<>();
            ARMS.forEach(a -> d.add(Json.JSON.getNodeFactory().textNode(a)));
            arms = d;
        }
        arms = List.copyOf(arms);
        if (arms.isEmpty()) {
            throw new ConfigException("arms", "name at least one arm: " + ARMS + " or a mapping {name, pretrain, head}");
        }
        Set<String> names = new HashSet<>();
        for (JsonNode a : arms) {
            String name = Arm.parse(a).name();
            if (!names.add(name)) {
                throw new ConfigException("arms", "two arms are named '" + name + "'; arm names must be unique");
            }
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
        features = features == null ? "global" : checkFeatures(features, "features");
        classifier = classifier == null ? "linear" : checkClassifier(classifier, "classifier");
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
        backboneLearningRateScale = backboneLearningRateScale == null ? 1.0 : backboneLearningRateScale;
        if (!(backboneLearningRateScale > 0)) {
            throw new ConfigException("backboneLearningRateScale", "must be positive, got " + backboneLearningRateScale);
        }
        probeEpochs = probeEpochs == null ? 0 : probeEpochs;
        if (probeEpochs < 0) {
            throw new ConfigException("probeEpochs", "must be ≥ 0, got " + probeEpochs);
        }
        missingDevices = missingDevices == null || missingDevices;
        maxMissingSubsets = maxMissingSubsets == null ? 62 : maxMissingSubsets;
        missingSample = missingSample == null ? 16 : missingSample;
        if (maxMissingSubsets < 0 || missingSample < 0) {
            throw new ConfigException(maxMissingSubsets < 0 ? "maxMissingSubsets" : "missingSample", "must be ≥ 0");
        }
    }

    static String checkFeatures(String features, String key) {
        String f = features.strip().toLowerCase(Locale.ROOT);
        if (!f.equals("global") && !f.equals("modalities") && !f.equals("both")) {
            throw new ConfigException(key.startsWith("arm") ? "arms" : key, (key.startsWith("arm") ? key + " " : "")
                    + "must be 'global' (the aggregator's Z), 'modalities' (concatenated modality embeddings) or 'both', got '" + features + "'");
        }
        return f;
    }

    static String checkClassifier(String classifier, String key) {
        String c = classifier.strip().toLowerCase(Locale.ROOT);
        if (!c.equals("linear") && !c.equals("mlp")) {
            throw new ConfigException(key.startsWith("arm") ? "arms" : key, (key.startsWith("arm") ? key + " " : "")
                    + "must be 'linear' or 'mlp' (Dense 128, ReLU, dropout 0.1, Dense), got '" + classifier + "'");
        }
        return c;
    }

    /** The arms, parsed. */
    public List<Arm> armList() {
        return arms.stream().map(Arm::parse).toList();
    }

    /** The arms' names, in order. */
    public List<String> armNames() {
        return Arm.names(armList());
    }

    public CrosslModel.Features featureKind() {
        return featureKind(features);
    }

    static CrosslModel.Features featureKind(String features) {
        return CrosslModel.Features.valueOf(features.toUpperCase(Locale.ROOT));
    }

    /** How {@code arm}'s head trains under this section's defaults. */
    public Downstream.Settings settings(Arm arm) {
        boolean finetune = arm.head() == Downstream.Mode.FINETUNE;
        double lr = arm.learningRate() != null ? arm.learningRate() : finetune ? finetuneLearningRate : probeLearningRate;
        // a model from random weights has no pretraining to protect: the baseline trains at full rate from the start
        double scale = !arm.pretrained() ? 1.0 : arm.backboneLearningRateScale() != null ? arm.backboneLearningRateScale() : backboneLearningRateScale;
        int probe = !arm.pretrained() ? 0 : arm.probeEpochs() != null ? arm.probeEpochs() : probeEpochs;
        String c = arm.classifier() != null ? arm.classifier() : classifier;
        return new Downstream.Settings(arm.head(), featureKind(arm.features() != null ? arm.features() : features), headEpochs, headBatchSize,
                headPatience, new org.crossl.core.config.OptimizerConfig(null, lr, null, null, null, 0.0),
                c.equals("mlp") ? Downstream.Classifier.MLP : Downstream.Classifier.LINEAR, scale, finetune ? probe : 0);
    }
}
