package org.crossl.eval.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.PretrainedModel;
import org.crossl.core.data.Normalizer;
import org.crossl.eval.MissingDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A classifier on a pretrained model: it learns, saves and loads to the same predictions, and leaves the pretrained model as it was. */
class CrosslClassifierTest {

    static DataSplits splits() {
        return new DataSplits(DownstreamTest.data(80, 1), DownstreamTest.data(30, 2), DownstreamTest.data(40, 3), java.util.Map.of());
    }

    static PretrainedModel pretrained(WindowDataset train) {
        PretrainedModel m = new PretrainedModel(DownstreamTest.model(), null);
        m.model().setNormalizer(Normalizer.fit(train));
        return m;
    }

    @Test
    void fineTuningLearnsSavesAndLoadsToTheSamePredictions(@TempDir Path dir) throws IOException {
        DataSplits s = splits();
        PretrainedModel pretrained = pretrained(s.train());
        INDArray before = pretrained.embed(s.test()).dup();
        CrosslClassifier c = CrosslClassifier.fit(pretrained, s, CrosslClassifier.settings(Downstream.Mode.FINETUNE), 1.0, 4);
        assertThat(c.score(s.test()).macroF1()).isGreaterThan(0.8);
        // the copy was fine-tuned; the caller's pretrained model was not
        assertThat(pretrained.embed(s.test())).isEqualTo(before);
        assertThat(c.backbone().embed(s.test())).isNotEqualTo(before);

        c.save(dir);
        CrosslClassifier back = CrosslClassifier.load(dir);
        CrosslClassifier.Predictions p = c.predict(s.test());
        CrosslClassifier.Predictions q = back.predict(s.test());
        assertThat(q.labels()).containsExactly(p.labels());
        assertThat(q.probabilities().sub(p.probabilities()).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(back.classNames()).containsExactly("rest", "move");
        assertThat(back.training().get("labelledWindows")).isEqualTo(80);
        // rows are distributions
        INDArray sums = p.probabilities().sum(1);
        for (int i = 0; i < sums.length(); i++) {
            assertThat(sums.getDouble(i)).isCloseTo(1.0, within(1e-5));
        }
        // the directory is a model directory too
        assertThat(PretrainedModel.load(dir).embed(s.test())).isEqualTo(c.backbone().embed(s.test()));
    }

    @Test
    void aProbeKeepsItsStandardisationAndPredictsWithAModalityAbsent(@TempDir Path dir) throws IOException {
        DataSplits s = splits();
        CrosslClassifier c = CrosslClassifier.fit(pretrained(s.train()), s, CrosslClassifier.settings(Downstream.Mode.PROBE), 0.5, 1);
        assertThat(c.training().get("labelledWindows")).isEqualTo(40);
        c.save(dir);
        CrosslClassifier back = CrosslClassifier.load(dir);
        WindowDataset noGyro = MissingDevices.hide(s.test(), List.of("gyro"));
        assertThat(back.predict(noGyro).probabilities().sub(c.predict(noGyro).probabilities()).amaxNumber().doubleValue()).isLessThan(1e-6);
        // the class signal is on acc: with gyro absent it is still found
        assertThat(back.score(noGyro).macroF1()).isGreaterThan(0.7);
        assertThatThrownBy(() -> MissingDevices.hide(s.test(), List.of("ecg"))).hasMessageContaining("no modality or device 'ecg'")
                .hasMessageContaining("[acc, gyro]");
    }

    @Test
    void dataFromFewerSensorsThanThePretrainedModelIsClassifiedFromTheOnesItHas(@TempDir Path dir) throws IOException {
        DataSplits s = splits();
        CrosslClassifier c = CrosslClassifier.fit(pretrained(s.train()), s, CrosslClassifier.settings(Downstream.Mode.PROBE), 1.0, 2);
        WindowDataset test = s.test();
        // the same windows as a deployment with the wrist accelerometer only
        WindowDataset accOnly = WindowDataset.ofStores(List.of(test.modalities().get(0)), List.of(test.store(0)),
                test.presence().getColumn(0).reshape(-1, 1).dup(), test.labels(), test.subjects(), test.classNames());
        CrosslClassifier.Predictions only = c.predict(accOnly);
        CrosslClassifier.Predictions hidden = c.predict(MissingDevices.hide(test, List.of("gyro")));
        assertThat(only.labels()).containsExactly(hidden.labels());
        assertThat(only.probabilities().sub(hidden.probabilities()).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(c.backbone().embed(accOnly).shape()).containsExactly(test.size(), 6);
        WindowDataset foreign = WindowDataset.ofStores(List.of(new org.crossl.api.data.ModalitySpec("ecg", List.of("v"), 10, "chest")),
                List.of(test.store(1)), test.presence().getColumn(1).reshape(-1, 1).dup(), test.labels(), test.subjects(), test.classNames());
        assertThatThrownBy(() -> c.predict(foreign)).hasMessageContaining("a modality 'ecg' that the model does not know")
                .hasMessageContaining("[acc, gyro]");
    }

    @Test
    void damagedOrForeignFilesAreRejectedWithTheirName(@TempDir Path dir) throws IOException {
        DataSplits s = splits();
        CrosslClassifier.fit(pretrained(s.train()), s, CrosslClassifier.settings(Downstream.Mode.PROBE), 1.0, 1).save(dir);
        Path bin = dir.resolve(CrosslClassifier.HEAD_FILE);
        byte[] b = Files.readAllBytes(bin);
        b[3] ^= 0x40;
        Files.write(bin, b);
        assertThatThrownBy(() -> CrosslClassifier.load(dir)).isInstanceOf(IOException.class).hasMessageContaining("classifier.bin is damaged");
        Path json = dir.resolve(CrosslClassifier.CLASSIFIER_FILE);
        Files.writeString(json, Files.readString(json).replace("\"crossl-classifier\"", "\"something-else\""));
        assertThatThrownBy(() -> CrosslClassifier.load(dir)).hasMessageContaining("is not a CroSSL classifier file");
        Files.delete(json);
        assertThatThrownBy(() -> CrosslClassifier.load(dir)).hasMessageContaining("no classifier at").hasMessageContaining("crossl finetune");
    }
}
