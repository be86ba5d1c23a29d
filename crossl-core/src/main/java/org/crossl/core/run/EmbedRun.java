package org.crossl.core.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.data.DataRoot;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.model.ModelAssembler;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Embeds every window of a config's data with a pretrained model and writes a CSV:
 * {@code split, index, subject, label, z0 … z(Dz−1)} ({@code label} is the class name, empty when
 * unlabelled). The model's own normaliser is applied; all present modalities are visible, and
 * modalities the data lacks are absent.
 */
public final class EmbedRun {
    private final ModelAssembler assembler;

    @com.google.inject.Inject
    public EmbedRun(ModelAssembler assembler) {
        this.assembler = assembler;
    }

    /** @return windows written per split */
    public Map<String, Integer> run(CrosslModel model, ExperimentConfig config, DataRoot root, Path outFile) throws IOException {
        DataSplits splits = assembler.loadData(config, root.requireExists().path()).splits();
        Map<String, WindowDataset> parts = new LinkedHashMap<>();
        parts.put("train", splits.train());
        parts.put("validation", splits.validation());
        parts.put("test", splits.test());
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (outFile.getParent() != null) {
            Files.createDirectories(outFile.getParent());
        }
        Path tmp = outFile.resolveSibling(outFile.getFileName() + ".tmp");
        int dz = model.aggregator().outputSize();
        try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
            StringBuilder header = new StringBuilder("split,index,subject,label");
            for (int k = 0; k < dz; k++) {
                header.append(",z").append(k);
            }
            w.write(header.toString());
            w.newLine();
            for (Map.Entry<String, WindowDataset> e : parts.entrySet()) {
                WindowDataset d = e.getValue();
                if (d.size() == 0) {
                    counts.put(e.getKey(), 0);
                    continue;
                }
                INDArray z = model.embed(org.crossl.core.model.ModalityAlignment.toModel(model.modalities(), d), 256);
                int[] subjects = d.subjects();
                int[] labels = d.labels();
                for (int i = 0; i < d.size(); i++) {
                    StringBuilder row = new StringBuilder();
                    row.append(e.getKey()).append(',').append(i).append(',').append(subjects[i]).append(',');
                    if (labels[i] != WindowBatch.UNLABELLED) {
                        row.append(d.classNames().get(labels[i]));
                    }
                    for (int k = 0; k < dz; k++) {
                        row.append(',').append(String.format(Locale.ROOT, "%.6g", z.getDouble(i, k)));
                    }
                    w.write(row.toString());
                    w.newLine();
                }
                counts.put(e.getKey(), d.size());
            }
        }
        Files.move(tmp, outFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return counts;
    }
}
