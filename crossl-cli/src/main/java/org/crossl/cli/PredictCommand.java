package org.crossl.cli;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.Crossl;
import org.crossl.core.config.ConfigError;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.model.ModelAssembler;
import org.crossl.eval.MissingDevices;
import org.crossl.eval.heads.CrosslClassifier;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code crossl predict --model DIR2 --config FILE --out FILE}. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Classify every window of the config's data with a classifier from crossl finetune; writes a CSV "
                + "(split, index, subject, label, predicted, p_<class>...). Windows with absent modalities are classified from the visible ones.")
final class PredictCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DataOptions data;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a crossl finetune --out directory")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV file to write")
    Path out;

    @Option(names = "--split", paramLabel = "NAME", description = "train, validation, test or all (default)")
    String split = "all";

    @Option(names = "--without", paramLabel = "NAME", split = ",", description = "treat these modalities or devices as absent in every "
            + "window (comma-separated), as when a sensor drops out")
    List<String> without = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> names = List.of("train", "validation", "test");
        String which = split.strip().toLowerCase(Locale.ROOT);
        if (!which.equals("all") && !names.contains(which)) {
            throw new ConfigError("--split must be train, validation, test or all, got '" + split + "'");
        }
        ExperimentConfig cfg = data.load();
        ModelAssembler assembler = data.get(ModelAssembler.class);
        CrosslClassifier c = CrosslClassifier.load(model, assembler);
        DataSplits splits = assembler.loadData(cfg, data.root().requireExists().path()).splits();
        Map<String, WindowDataset> parts = new LinkedHashMap<>();
        parts.put("train", splits.train());
        parts.put("validation", splits.validation());
        parts.put("test", splits.test());
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> classes = c.classNames();
        try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
            StringBuilder header = new StringBuilder("split,index,subject,label,predicted");
            classes.forEach(k -> header.append(",p_").append(k));
            w.write(header.toString());
            w.newLine();
            for (Map.Entry<String, WindowDataset> e : parts.entrySet()) {
                if (!which.equals("all") && !which.equals(e.getKey())) {
                    continue;
                }
                WindowDataset d = without.isEmpty() ? e.getValue() : MissingDevices.hide(e.getValue(), without);
                CrosslClassifier.Predictions p = c.predict(d);
                INDArray prob = p.probabilities();
                int[] labels = d.labels();
                int[] subjects = d.subjects();
                for (int i = 0; i < d.size(); i++) {
                    StringBuilder row = new StringBuilder();
                    row.append(e.getKey()).append(',').append(i).append(',').append(subjects[i]).append(',');
                    if (labels[i] != WindowBatch.UNLABELLED) {
                        row.append(d.classNames().get(labels[i]));
                    }
                    row.append(',').append(p.className(i));
                    for (int k = 0; k < classes.size(); k++) {
                        row.append(',').append(String.format(Locale.ROOT, "%.6g", prob.getDouble(i, k)));
                    }
                    w.write(row.toString());
                    w.newLine();
                }
                counts.put(e.getKey(), d.size());
            }
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        spec.commandLine().getOut().println("wrote " + out + ": " + counts + " windows, " + classes.size() + " classes"
                + (without.isEmpty() ? "" : ", absent: " + String.join(", ", without)));
        return 0;
    }
}
