package org.crossl.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SweepTest {

    static final String BASE = """
            name: ablation
            seed: 0
            data: {type: uea, path: uea/BasicMotions}
            encoders: {default: {type: tcn}}
            masker: {type: spatial, ratio: 0.5}
            aggregator: {type: mlp}
            objective: {type: vicreg}
            """;

    @Test
    void everyCombinationLastKeyFastest() {
        ExperimentConfig cfg = ExperimentConfig.parse(BASE + """
                sweep:
                  masker.type: [random, spatial, temporal]
                  masker.ratio: [0.1, 0.9]
                """, "a.yaml", true);
        List<Sweep.Run> runs = Sweep.expand(cfg);
        assertThat(runs).hasSize(6);
        assertThat(runs).extracting(Sweep.Run::label).containsExactly(
                "masker.type=random,masker.ratio=0.1", "masker.type=random,masker.ratio=0.9",
                "masker.type=spatial,masker.ratio=0.1", "masker.type=spatial,masker.ratio=0.9",
                "masker.type=temporal,masker.ratio=0.1", "masker.type=temporal,masker.ratio=0.9");
        Sweep.Run r = runs.get(5);
        assertThat(r.config().masker().value("type")).isEqualTo("temporal");
        assertThat(r.config().masker().value("ratio")).isEqualTo(0.9);
        assertThat(r.config().has("sweep")).isFalse();
        assertThat(r.config().source()).contains("masker.type=temporal,masker.ratio=0.9");
        // untouched keys stay
        assertThat(r.config().data().value("path")).isEqualTo("uea/BasicMotions");
    }

    @Test
    void structuredValuesAndNoSweep() {
        ExperimentConfig cfg = ExperimentConfig.parse(BASE + """
                sweep:
                  objective: [{type: vicreg, preset: paper}, {type: vicreg, preset: reference}]
                """, "b.yaml", true);
        List<Sweep.Run> runs = Sweep.expand(cfg);
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).config().objective().value("preset")).isEqualTo("paper");
        assertThat(Sweep.expand(ExperimentConfig.parse(BASE, "c.yaml", true))).singleElement()
                .satisfies(run -> assertThat(run.label()).isEmpty());
    }

    @Test
    void badSweepsNameTheKey() {
        assertThatThrownBy(() -> Sweep.expand(ExperimentConfig.parse(BASE + "sweep: {masker.ratio: 0.5}\n", "d.yaml", true)))
                .hasMessageContaining("d.yaml: sweep.masker.ratio: needs a non-empty list of values");
        assertThatThrownBy(() -> Sweep.expand(ExperimentConfig.parse(BASE + "sweep: {masker.ratio: []}\n", "e.yaml", true)))
                .hasMessageContaining("sweep.masker.ratio: needs a non-empty list");
        assertThatThrownBy(() -> Sweep.expand(ExperimentConfig.parse(BASE + "sweep: [1, 2]\n", "f.yaml", true)))
                .hasMessageContaining("f.yaml: sweep: must map config keys to lists");
    }
}
