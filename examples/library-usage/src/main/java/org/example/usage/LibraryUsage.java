package org.example.usage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.crossl.api.data.DataSplits;
import org.crossl.core.CrosslTrainer;
import org.crossl.core.PretrainedModel;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.eval.MissingDevices;
import org.crossl.eval.heads.CrosslClassifier;
import org.crossl.eval.heads.Downstream;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Pretrain, embed, fine-tune and predict with CroSSL from Java: {@code LibraryUsage DATA_ROOT OUT_DIR}. */
public final class LibraryUsage {

    /** What the steps gave: Z of the test windows, and predictions with every sensor and without the gyroscope. */
    public record Result(INDArray z, CrosslClassifier.Predictions all, CrosslClassifier.Predictions noGyro, DataSplits splits) {
    }

    public static Result run(Path dataRoot, Path out) throws IOException {
        ExperimentConfig config = ExperimentConfig.parse(new String(LibraryUsage.class.getResourceAsStream("/basicmotions-small.yaml")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "basicmotions-small.yaml", true);
        DataSplits splits = CrosslTrainer.loadData(config, dataRoot);            // raw windows, split by subject

        PretrainedModel pretrained = CrosslTrainer.fit(config, splits);         // no labels used; normaliser inside
        pretrained.save(out.resolve("pretrained"));
        INDArray z = PretrainedModel.load(out.resolve("pretrained")).embed(splits.test());   // [N, 32]

        CrosslClassifier classifier = CrosslClassifier.fit(pretrained, splits,  // labels: all training windows
                CrosslClassifier.settings(Downstream.Mode.FINETUNE), 1.0, config.seed());
        classifier.save(out.resolve("classifier"));
        CrosslClassifier loaded = CrosslClassifier.load(out.resolve("classifier"));
        CrosslClassifier.Predictions all = loaded.predict(splits.test());
        CrosslClassifier.Predictions noGyro = loaded.predict(MissingDevices.hide(splits.test(), List.of("gyro")));
        return new Result(z, all, noGyro, splits);
    }

    public static void main(String[] args) throws IOException {
        Result r = run(Path.of(args[0]), Path.of(args[1]));
        for (int i = 0; i < r.all().labels().length; i++) {
            System.out.println(i + ": " + r.all().className(i) + " (without the gyroscope: " + r.noGyro().className(i) + ")");
        }
    }
}
