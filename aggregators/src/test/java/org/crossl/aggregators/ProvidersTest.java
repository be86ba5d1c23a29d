package org.crossl.aggregators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.crossl.api.Aggregator;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.spi.AggregatorProvider;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class ProvidersTest {

    @Test
    void allAggregatorsAreDiscovered() {
        List<String> names = ServiceLoader.load(AggregatorProvider.class).stream().map(p -> p.get().name()).toList();
        assertThat(names).contains("mlp", "attention", "mean");
        List<String> descriptions = ServiceLoader.load(AggregatorProvider.class).stream().map(p -> p.get().description()).toList();
        assertThat(descriptions).allSatisfy(d -> assertThat(d).isNotBlank());
    }

    @Test
    void providersBuildWithDefaults() {
        List<ModalitySpec> mods = List.of(new ModalitySpec("acc", List.of("x", "y", "z"), 50, null),
                new ModalitySpec("gyro", List.of("x", "y", "z"), 50, null));
        Aggregator att = new AttentionProvider().create(mods, 96, AttentionConfig.defaults(), DataType.FLOAT, new SplittableRandom(0));
        assertThat(att.outputSize()).isEqualTo(32);
        assertThat(new AttentionProvider().configType()).isEqualTo(AttentionConfig.class);
        Aggregator mean = new MeanProvider().create(mods, 96, MeanConfig.defaults(), DataType.FLOAT, new SplittableRandom(0));
        assertThat(mean.outputSize()).isEqualTo(96);
        assertThat(new MeanProvider().create(mods, 96, new MeanConfig(16), DataType.FLOAT, new SplittableRandom(0)).outputSize()).isEqualTo(16);
        assertThat(new MeanProvider().configType()).isEqualTo(MeanConfig.class);
    }
}
