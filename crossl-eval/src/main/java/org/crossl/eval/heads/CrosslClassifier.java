package org.crossl.eval.heads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.LabelFractions;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.nn.Parameter;
import org.crossl.core.AtomicFiles;
import org.crossl.core.Crossl;
import org.crossl.core.PretrainedModel;
import org.crossl.core.Versions;
import org.crossl.core.config.Json;
import org.crossl.core.config.OptimizerConfig;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.model.ModalityAlignment;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.model.ModelIO;
import org.crossl.nn.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A classifier built on a pretrained CroSSL model, ready to predict and to be saved: either a
 * probe (the pretrained model frozen, a head on its features) or a fine-tuned model with its head.
 * <pre>
 * PretrainedModel pretrained = PretrainedModel.load(Path.of("run/model"));
 * CrosslClassifier c = CrosslClassifier.fit(pretrained, splits, CrosslClassifier.settings(Downstream.Mode.FINETUNE), 0.1, 0);
 * CrosslClassifier.Predictions p = c.predict(splits.test());   // labels and class probabilities
 * c.save(Path.of("classifier"));
 * </pre>
 * Data passed in is raw (the model's normaliser applies inside). Windows whose modalities are
 * absent (presence 0) are classified from the visible ones, as the model was pretrained to do.
 *
 * <p>Saved as a directory that is also a model directory: {@code model.json} and
 * {@code parameters.bin} hold the model under the head ({@link ModelIO}'s format, so
 * {@code crossl embed} reads it too); {@code classifier.json} holds the format name and version, the
 * class names, the head (kind, features, input size, a probe's standardisation), the settings it was
 * trained with, its training summary and a manifest of the head's parameters with the SHA-256 of
 * {@code classifier.bin}, which holds their values in {@link ModelIO#writeParameters}' codec.
 */
public final class CrosslClassifier {
    public static final String FORMAT = "crossl-classifier";
    public static final int FORMAT_VERSION = 1;
    public static final String CLASSIFIER_FILE = "classifier.json";
    public static final String HEAD_FILE = "classifier.bin";

    private final PretrainedModel backbone;
    private final Layer head;
    private final Downstream.Settings settings;
    private final INDArray[] standardise;
    private final List<String> classNames;
    private final ObjectNode training;

    private CrosslClassifier(PretrainedModel backbone, Layer head, Downstream.Settings settings, INDArray[] standardise, List<String> classNames,
                             ObjectNode training) {
        this.backbone = backbone;
        this.head = head;
        this.settings = settings;
        this.standardise = standardise;
        this.classNames = List.copyOf(classNames);
        this.training = training;
    }

    /**
     * The evaluation protocol's head settings (linear head on Z, 30 epochs at most, batch 64,
     * patience 5; Adam at 0.01 for a probe, 0.001 for fine-tuning); the config's
     * {@code evaluation:} section changes them for {@code crossl finetune}.
     */
    public static Downstream.Settings settings(Downstream.Mode mode) {
        return new Downstream.Settings(mode, CrosslModel.Features.GLOBAL, 30, 64, 5,
                new OptimizerConfig(null, mode == Downstream.Mode.PROBE ? 0.01 : 0.001, null, null, null, 0.0));
    }

    /**
     * Trains a head on a stratified draw of {@code labelFraction} of the labelled training windows
     * of {@code splits} (raw), with early stopping on the labelled validation windows. Fine-tuning
     * trains a copy of {@code pretrained}, which is left as it was.
     */
    public static CrosslClassifier fit(PretrainedModel pretrained, DataSplits splits, Downstream.Settings settings, double labelFraction,
                                       long seed) {
        return fit(pretrained, splits, settings, labelFraction, seed, Crossl.assembler());
    }

    /** As {@link #fit(PretrainedModel, DataSplits, Downstream.Settings, double, long)}, building the copy with {@code assembler}. */
    public static CrosslClassifier fit(PretrainedModel pretrained, DataSplits splits, Downstream.Settings settings, double labelFraction,
                                       long seed, ModelAssembler assembler) {
        CrosslModel model = pretrained.model();
        model.checkCompatible(splits.train().modalities(), "the training data");
        WindowDataset train = normalised(model, splits.train());
        WindowDataset val = normalised(model, splits.validation());
        int[] idx = LabelFractions.draw(train.labels(), labelFraction, seed);
        if (idx.length < 2) {
            throw new IllegalArgumentException("the training data has " + idx.length + " labelled window(s) at label fraction " + labelFraction
                    + "; a classifier needs at least two");
        }
        PretrainedModel backbone = settings.mode() == Downstream.Mode.FINETUNE ? pretrained.copy(assembler) : pretrained;
        Downstream.Trained t = Downstream.fit(backbone.model(), train, idx, val, settings, seed);
        ObjectNode summary = Json.JSON.createObjectNode();
        summary.put("labelFraction", labelFraction);
        summary.put("seed", seed);
        summary.put("labelledWindows", idx.length);
        summary.put("bestEpoch", t.bestEpoch());
        summary.put("epochs", t.validationMacroF1().length);
        double v = t.bestValidationMacroF1();
        if (Double.isFinite(v)) {
            summary.put("validationMacroF1", v);
        }
        return new CrosslClassifier(backbone, t.head(), settings, t.standardisation(), train.classNames(), summary);
    }

    /** Labels and class probabilities of every window, in the data's order. */
    public record Predictions(int[] labels, INDArray probabilities, List<String> classNames) {
        /** The predicted class name of window {@code i}. */
        public String className(int i) {
            return classNames.get(labels[i]);
        }
    }

    /**
     * Predicts every window of {@code data} (raw). Modalities the data lacks, or marks absent
     * (presence 0), are classified from the visible ones.
     */
    public Predictions predict(WindowDataset raw) {
        WindowDataset data = ModalityAlignment.toModel(backbone.modalities(), raw);
        INDArray p = Downstream.probabilities(backbone.model(), head, settings.features(), standardise, normalised(backbone.model(), data),
                256, classNames.size());
        int[] labels = data.size() == 0 ? new int[0] : p.argMax(1).toIntVector();
        return new Predictions(labels, p, classNames);
    }

    /** Metrics on the labelled windows of {@code data} (raw). */
    public ClassificationMetrics score(WindowDataset data) {
        if (!data.classNames().equals(classNames)) {
            throw new IllegalArgumentException("the data's classes " + data.classNames() + " are not the classifier's " + classNames
                    + " (same names in the same order); its labels cannot be scored against the predictions");
        }
        int[] idx = Downstream.labelled(data);
        WindowDataset l = data.subset(idx);
        return ClassificationMetrics.of(l.labels(), predict(l).labels(), classNames);
    }

    public List<String> classNames() {
        return classNames;
    }

    public Downstream.Settings settings() {
        return settings;
    }

    /** The model under the head. */
    public PretrainedModel backbone() {
        return backbone;
    }

    /** How it was trained: label fraction, seed, labelled windows, best epoch, validation macro-F1. */
    public java.util.Map<String, Object> training() {
        return Json.JSON.convertValue(training, new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() {
        });
    }

    /** Writes the classifier into {@code dir} (see the class comment); {@code classifier.json} is written last. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        // classifier.json is the commit marker: gone while anything else is replaced, written last
        Files.deleteIfExists(dir.resolve(CLASSIFIER_FILE));
        backbone.save(dir);
        Path binTmp = dir.resolve(HEAD_FILE + ".tmp");
        ModelIO.ParameterFile written = ModelIO.writeParameters(named(head), binTmp);
        ObjectNode root = Json.JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("crosslVersion", Versions.library());
        root.put("savedAt", java.time.Instant.now().toString());
        ArrayNode classes = root.putArray("classes");
        classNames.forEach(classes::add);
        ObjectNode h = root.putObject("head");
        h.put("mode", settings.mode().name().toLowerCase(Locale.ROOT));
        h.put("classifier", settings.classifier().name().toLowerCase(Locale.ROOT));
        h.put("features", settings.features().name().toLowerCase(Locale.ROOT));
        h.put("inputSize", backbone.model().featureSize(settings.features()));
        if (standardise != null) {
            ObjectNode st = h.putObject("standardise");
            st.set("mean", Json.JSON.valueToTree(standardise[0].toDoubleVector()));
            st.set("std", Json.JSON.valueToTree(standardise[1].toDoubleVector()));
        }
        ObjectNode s = root.putObject("settings");
        s.put("epochs", settings.epochs());
        s.put("batchSize", settings.batchSize());
        s.put("patience", settings.patience());
        s.put("learningRate", settings.optimizer().learningRate());
        s.put("backboneLearningRateScale", settings.backboneLearningRateScale());
        s.put("probeEpochs", settings.probeEpochs());
        root.set("training", training);
        root.put("parametersFile", HEAD_FILE);
        root.put("parametersSha256", written.sha256());
        root.set("parameters", written.manifest());
        Path jsonTmp = dir.resolve(CLASSIFIER_FILE + ".tmp");
        Json.JSON.writerWithDefaultPrettyPrinter().writeValue(jsonTmp.toFile(), root);
        AtomicFiles.move(binTmp, dir.resolve(HEAD_FILE));
        AtomicFiles.move(jsonTmp, dir.resolve(CLASSIFIER_FILE));
    }

    /** Reads a classifier saved by {@link #save(Path)}, with every plugin on the path. */
    public static CrosslClassifier load(Path dir) throws IOException {
        return load(dir, Crossl.assembler());
    }

    /** As {@link #load(Path)}, building the model's components with {@code assembler}. */
    public static CrosslClassifier load(Path dir, ModelAssembler assembler) throws IOException {
        Path json = dir.resolve(CLASSIFIER_FILE);
        JsonNode root = ModelIO.readHeader(json, FORMAT, FORMAT_VERSION, "classifier", "no classifier at " + dir.toAbsolutePath()
                + " (expected " + CLASSIFIER_FILE + "; crossl finetune writes it with --out)");
        PretrainedModel backbone = PretrainedModel.load(dir, assembler);
        List<String> classes = new ArrayList<>();
        root.path("classes").forEach(c -> classes.add(c.asText()));
        JsonNode h = root.path("head");
        Downstream.Mode mode = enumOf(Downstream.Mode.class, h.path("mode").asText(), json, "head.mode");
        Downstream.Classifier kind = enumOf(Downstream.Classifier.class, h.path("classifier").asText(), json, "head.classifier");
        CrosslModel.Features features = enumOf(CrosslModel.Features.class, h.path("features").asText(), json, "head.features");
        int in = backbone.model().featureSize(features);
        if (h.path("inputSize").asInt(-1) != in || classes.size() < 2) {
            throw new IOException(json + ": the head reads " + h.path("inputSize").asInt(-1) + " features over " + classes.size()
                    + " classes, but the model in " + dir + " gives " + in + " " + features.name().toLowerCase(Locale.ROOT)
                    + " features; the files do not belong together");
        }
        JsonNode s = root.path("settings");
        Downstream.Settings settings = new Downstream.Settings(mode, features, s.path("epochs").asInt(30), s.path("batchSize").asInt(64),
                s.path("patience").asInt(5), new OptimizerConfig(null, s.path("learningRate").asDouble(1e-3), null, null, null, 0.0), kind,
                s.path("backboneLearningRateScale").asDouble(1.0), s.path("probeEpochs").asInt(0));
        Layer head = Downstream.head(in, classes.size(), kind, backbone.model().dataType(), 0);
        ModelIO.readParameters(dir.resolve(root.path("parametersFile").asText(HEAD_FILE)), root.path("parameters"),
                root.path("parametersSha256").asText(), named(head), json.toString());
        INDArray[] standardise = null;
        if (h.has("standardise")) {
            double[] mean = Json.JSON.treeToValue(h.path("standardise").path("mean"), double[].class);
            double[] std = Json.JSON.treeToValue(h.path("standardise").path("std"), double[].class);
            if (mean == null || std == null || mean.length != in || std.length != in) {
                throw new IOException(json + ": head.standardise needs " + in + " means and standard deviations");
            }
            var type = backbone.model().dataType();
            standardise = new INDArray[] {Nd4j.createFromArray(mean).castTo(type).reshape(1, in), Nd4j.createFromArray(std).castTo(type).reshape(1, in)};
        }
        ObjectNode training = root.path("training") instanceof ObjectNode o ? o : Json.JSON.createObjectNode();
        return new CrosslClassifier(backbone, head, settings, standardise, classes, training);
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, Path file, String key) throws IOException {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + key + " '" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
    }

    private static Map<String, Parameter> named(Layer head) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (Parameter p : head.parameters()) {
            m.put(p.name(), p);
        }
        return m;
    }

    private static WindowDataset normalised(CrosslModel model, WindowDataset raw) {
        return model.normalizer() == null ? raw : model.normalizer().apply(raw);
    }
}
