package org.crossl.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Metrics against hand-computed values, and the missing-device subsets and masking. */
class EvaluationPartsTest {

    @Test
    void macroF1AccuracyAndConfusionByHand() {
        // truth:     a a a b b c
        // predicted: a a b b c c      (class d never true, predicted once below)
        int[] truth = {0, 0, 0, 1, 1, 2, 2};
        int[] pred = {0, 0, 1, 1, 2, 2, 3};
        ClassificationMetrics m = ClassificationMetrics.of(truth, pred, List.of("a", "b", "c", "d"));
        // a: tp 2, fp 0, fn 1 -> F1 = 4/5;  b: tp 1, fp 1, fn 1 -> 2/4;  c: tp 1, fp 1, fn 1 -> 2/4
        // d is never true: not in the macro average. Macro-F1 = (0.8 + 0.5 + 0.5) / 3 = 0.6
        assertThat(m.perClassF1()).containsOnlyKeys("a", "b", "c");
        assertThat(m.perClassF1().get("a")).isCloseTo(0.8, within(1e-12));
        assertThat(m.macroF1()).isCloseTo(0.6, within(1e-12));
        assertThat(m.accuracy()).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(m.confusion()[0]).containsExactly(2, 1, 0, 0);
        assertThat(m.confusion()[2]).containsExactly(0, 0, 1, 1);
        assertThat(m.count()).isEqualTo(7);
        assertThatThrownBy(() -> ClassificationMetrics.of(new int[] {0}, new int[] {4}, List.of("a", "b")))
                .hasMessageContaining("outside the 2 classes");
    }

    @Test
    void perfectAndAllWrong() {
        assertThat(ClassificationMetrics.of(new int[] {0, 1}, new int[] {0, 1}, List.of("a", "b")).macroF1()).isEqualTo(1.0);
        assertThat(ClassificationMetrics.of(new int[] {0, 1}, new int[] {1, 0}, List.of("a", "b")).macroF1()).isEqualTo(0.0);
    }

    @Test
    void everyNonEmptyProperSubsetOfDevices() {
        assertThat(MissingDevices.properSubsets(List.of("foot", "shin", "thigh"))).containsExactly(
                List.of("foot"), List.of("shin"), List.of("thigh"),
                List.of("foot", "shin"), List.of("foot", "thigh"), List.of("shin", "thigh"));
        assertThat(MissingDevices.properSubsets(List.of("waist"))).isEmpty();
        assertThat(MissingDevices.properSubsets(List.of("1", "2", "3", "4", "5", "6", "7"))).hasSize(126);
        assertThat(MissingDevices.key(List.of("foot", "thigh"))).isEqualTo("foot+thigh");
    }

    @Test
    void removingADeviceMarksAllItsModalitiesAbsentAndKeepsTheRest() {
        List<ModalitySpec> mods = List.of(new ModalitySpec("rf_acc", List.of("x"), 50, "foot"), new ModalitySpec("rf_gyro", List.of("x"), 50, "foot"),
                new ModalitySpec("rs_acc", List.of("x"), 50, "shin"));
        WindowDataset d = new WindowDataset(mods, List.of(Nd4j.ones(DataType.FLOAT, 3, 4, 1), Nd4j.ones(DataType.FLOAT, 3, 4, 1),
                Nd4j.ones(DataType.FLOAT, 3, 4, 1)), Nd4j.ones(DataType.FLOAT, 3, 3), new int[] {0, 1, 0}, new int[] {1, 1, 2}, List.of("a", "b"));
        d.presence().putScalar(2, 2, 0); // already absent stays absent
        assertThat(MissingDevices.devices(mods)).containsExactly("foot", "shin");
        WindowDataset noFoot = MissingDevices.without(d, List.of("foot"));
        assertThat(noFoot.presence().getColumn(0).sumNumber().doubleValue()).isZero();
        assertThat(noFoot.presence().getColumn(1).sumNumber().doubleValue()).isZero();
        assertThat(noFoot.presence().getColumn(2).toFloatVector()).containsExactly(1, 1, 0);
        assertThat(d.presence().getColumn(0).sumNumber().doubleValue()).isEqualTo(3.0); // the original is untouched
        assertThat(noFoot.labels()).containsExactly(0, 1, 0);
        assertThatThrownBy(() -> MissingDevices.without(d, List.of("hand"))).hasMessageContaining("no device 'hand' in the data; devices: [foot, shin]");
    }

    static EvaluateRun.Record rec(String arm, double fraction, double f1, double missing) {
        return new EvaluateRun.Record(arm, fraction, 0, new ClassificationMetrics(f1, f1, java.util.Map.of(), 10, new long[0][0]),
                java.util.Map.of("a", missing, "b", missing), 10, 1);
    }

    @Test
    void theClaimsSectionComparesTheRightArmsWithTheRunsNumbers() {
        EvaluationConfig ev = new EvaluationConfig(java.util.List.of("crossl-probe", "crossl-finetune", "supervised", "crossl-random-mask"),
                java.util.List.of(0.01, 1.0), java.util.List.of(0L), null, null, null, null, null, null, null);
        java.util.List<EvaluateRun.Record> rs = java.util.List.of(
                rec("crossl-probe", 0.01, 0.50, 0.45), rec("crossl-finetune", 0.01, 0.40, 0.30), rec("supervised", 0.01, 0.45, 0.20),
                rec("crossl-random-mask", 0.01, 0.30, 0.25),
                rec("crossl-probe", 1.0, 0.70, 0.66), rec("crossl-finetune", 1.0, 0.90, 0.70), rec("supervised", 1.0, 0.88, 0.60),
                rec("crossl-random-mask", 1.0, 0.75, 0.70));
        String md = EvaluateRun.claims(ev, rs, java.util.List.of(java.util.List.of("a"), java.util.List.of("b")));
        assertThat(md).contains("CroSSL beats the supervised baseline at label fraction 0.01: **yes** (CroSSL 0.500 — probe 0.500, fine-tune 0.400 — against 0.450)")
                .doesNotContain("label fraction 1.0: **")
                .contains("Spatial masking beats random masking (linear probes): **mixed** at 1 of 2 label fractions (0.01: 0.500 vs 0.300; 1.0: 0.700 vs 0.750)")
                .contains("A missing device costs crossl-probe less than the supervised model (label fraction 1.0): **yes** (mean macro-F1 drop 0.040 against 0.280)")
                .contains("A missing device costs crossl-finetune less than the supervised model (label fraction 1.0): **yes** (mean macro-F1 drop 0.200 against 0.280)");
        assertThat(EvaluateRun.claims(new EvaluationConfig(java.util.List.of("crossl-probe"), null, null, null, null, null, null, null, null, null),
                rs, java.util.List.of())).isEmpty();
    }
}
