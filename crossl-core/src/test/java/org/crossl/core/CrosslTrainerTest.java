package org.crossl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.nn.Parameter;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.data.Normalizer;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.train.CheckpointResumeTest;
import org.crossl.core.train.PretrainResult;
import org.crossl.core.train.Pretrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The one-call facade does what the hand sequence did, to the bit, and its model saves and loads. */
class CrosslTrainerTest {

    static ExperimentConfig config() {
        return ExperimentConfig.parse(CheckpointResumeTest.CONFIG, "tiny.yaml", true).with("training.epochs", "2");
    }

    /** Raw windows with a scale and offset, so that the normaliser matters. */
    static DataSplits splits() {
        WindowDataset train = scaled(CheckpointResumeTest.data(42, 1, false));
        WindowDataset val = scaled(CheckpointResumeTest.data(16, 2, false));
        return new DataSplits(train, val, scaled(CheckpointResumeTest.data(10, 5, false)), Map.of());
    }

    static WindowDataset scaled(WindowDataset d) {
        return new WindowDataset(d.modalities(), List.of(d.data(0).mul(7).addi(3), d.data(1).mul(0.1)), d.presence(), d.labels(), d.subjects(),
                d.classNames());
    }

    @Test
    void fitEqualsTheHandSequenceAndTheModelRoundTrips(@TempDir Path dir) throws IOException {
        DataSplits s = splits();
        PretrainedModel facade = CrosslTrainer.fit(config(), s);

        // the sequence CrosslTrainer replaces: assemble, fit the normaliser, apply it, set it, train
        ExperimentConfig c = config();
        ModelAssembler.Assembled a = Crossl.assembler().assemble(c, s.train().modalities(), null);
        Normalizer norm = Normalizer.fit(s.train());
        a.model().setNormalizer(norm);
        PretrainResult byHand = new Pretrainer(a.model(), a.masker(), a.objective(), c.optimizer(), c.training(), c.seed(), null)
                .fit(norm.apply(s.train()), norm.apply(s.validation()));

        assertThat(facade.result().history()).hasSize(2);
        assertThat(facade.result().history().get(1).trainLoss()).isEqualTo(byHand.history().get(1).trainLoss());
        Map<String, Parameter> mine = facade.model().namedParameters();
        a.model().namedParameters().forEach((name, p) -> assertThat(mine.get(name).value()).as(name).isEqualTo(p.value()));
        assertThat(facade.model().normalizer()).isNotNull();

        INDArray z = facade.embed(s.test());
        assertThat(z.shape()).containsExactly(10, facade.embeddingSize());
        facade.save(dir);
        PretrainedModel back = PretrainedModel.load(dir);
        assertThat(back.result()).isNull();
        assertThat(back.embed(s.test())).isEqualTo(z);
        // a copy is independent of its source
        PretrainedModel copy = back.copy(Crossl.assembler());
        copy.model().namedParameters().values().iterator().next().value().addi(1);
        assertThat(back.embed(s.test())).isEqualTo(z);
    }

    @Test
    void aGivenNormaliserIsUsedAsIsAndNormalizeFalseTrainsOnRawData() {
        DataSplits s = splits();
        Normalizer shared = Normalizer.fit(s.train());
        CrosslTrainer.Prepared p = CrosslTrainer.builder(config().with("normalize", "false")).normalizer(shared).build().prepare(s);
        assertThat(p.normalizer()).isSameAs(shared);
        assertThat(p.assembled().model().normalizer()).isSameAs(shared);
        CrosslTrainer.Prepared raw = CrosslTrainer.builder(config().with("normalize", "false")).build().prepare(s);
        assertThat(raw.normalizer()).isNull();
        assertThat(raw.train()).isSameAs(s.train());
    }
}
