package org.crossl.eval;

import java.util.List;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.eval.heads.ClassificationMetrics;
import org.crossl.eval.heads.Downstream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
                java.util.Map.of("a", missing, "b", missing), 10, 1, f1 - 0.01);
    }

    static EvaluationConfig ev(String yaml) {
        return org.crossl.core.config.ExperimentConfig.parse("data: {type: uea}\nencoders: {default: {type: tcn}}\n"
                        + "masker: {type: spatial}\naggregator: {type: mlp}\nobjective: {type: vicreg}\nevaluation: " + yaml, "test.yaml", true)
                .evaluation().bind(EvaluationConfig.class, "test.yaml");
    }

    @Test
    void theClaimsSectionComparesTheRightArmsWithTheRunsNumbers() {
        EvaluationConfig ev = ev("{arms: [crossl-probe, crossl-finetune, supervised, crossl-random-mask, simclr], labelFractions: [0.01, 1.0], seeds: [0]}");
        java.util.List<EvaluateRun.Record> rs = java.util.List.of(
                rec("crossl-probe", 0.01, 0.50, 0.45), rec("crossl-finetune", 0.01, 0.40, 0.30), rec("supervised", 0.01, 0.45, 0.20),
                rec("crossl-random-mask", 0.01, 0.30, 0.25), rec("simclr", 0.01, 0.50, 0.4),
                rec("crossl-probe", 1.0, 0.70, 0.66), rec("crossl-finetune", 1.0, 0.90, 0.70), rec("supervised", 1.0, 0.88, 0.60),
                rec("crossl-random-mask", 1.0, 0.75, 0.70), rec("simclr", 1.0, 0.71, 0.6));
        String md = Claims.of(ev, rs, java.util.List.of(java.util.List.of("a"), java.util.List.of("b")));
        assertThat(md).contains("CroSSL beats the supervised baseline at label fraction 0.01: **yes** (best CroSSL arm crossl-probe 0.500 — "
                        + "crossl-probe 0.500, crossl-finetune 0.400 — against supervised 0.450)")
                .doesNotContain("label fraction 1.0: **")
                .contains("Spatial masking beats random masking (crossl-probe against crossl-random-mask): **mixed** at 1 of 2 label fractions "
                        + "(0.01: 0.500 vs 0.300; 1.0: 0.700 vs 0.750)")
                .contains("The CroSSL probe matches or beats the contrastive (SimCLR) probe (crossl-probe against simclr): **mixed** at 1 of 2")
                .contains("A missing device costs crossl-probe less than the supervised model (label fraction 1.0): **yes** (mean macro-F1 drop 0.040 against 0.280)")
                .contains("A missing device costs crossl-finetune less than the supervised model (label fraction 1.0): **yes** (mean macro-F1 drop 0.200 against 0.280)");
        assertThat(Claims.of(ev("{arms: [crossl-probe]}"), rs, java.util.List.of())).isEmpty();
    }

    @Test
    void claimsFindRenamedAndAddedArmsByTheirRoles() {
        EvaluationConfig ev = ev("{labelFractions: [0.1], arms: [{name: mine, role: crossl, pretrain: {}, head: finetune}, "
                + "{name: scratch, role: supervised, pretrain: none, head: finetune}, {name: barlow, pretrain: {objective: {type: barlow}}, head: probe}]}");
        java.util.List<EvaluateRun.Record> rs = java.util.List.of(rec("mine", 0.1, 0.6, 0.5), rec("scratch", 0.1, 0.62, 0.3), rec("barlow", 0.1, 0.7, 0.6));
        assertThat(Claims.of(ev, rs, java.util.List.of(java.util.List.of("a"))))
                .contains("CroSSL beats the supervised baseline at label fraction 0.1: **no** (best CroSSL arm mine 0.600 — mine 0.600 — against scratch 0.620)")
                .contains("A missing device costs mine less than the supervised model")
                .doesNotContain("barlow");
    }

    @Test
    void armsAreBuiltInNamesOrMappingsAndBadOnesAreNamed() {
        EvaluationConfig ev = ev("{arms: [crossl-probe, supervised, {name: barlow-probe, pretrain: {objective: {type: barlow}}, head: probe, "
                + "features: both, classifier: mlp}, {name: gentle, pretrain: {}, head: finetune, backboneLearningRateScale: 0.1, probeEpochs: 3}]}");
        java.util.List<Arm> arms = ev.armList();
        assertThat(Arm.names(arms)).containsExactly("crossl-probe", "supervised", "barlow-probe", "gentle");
        assertThat(arms.get(1).pretrained()).isFalse();
        assertThat(arms.get(1).role()).isEqualTo(Arm.Role.SUPERVISED);
        assertThat(arms.get(2).pretrain().get("objective").get("type").asText()).isEqualTo("barlow");
        assertThat(arms.get(2).role()).isEqualTo(Arm.Role.OTHER);
        Downstream.Settings barlow = ev.settings(arms.get(2));
        assertThat(barlow.features()).isEqualTo(org.crossl.core.model.CrosslModel.Features.BOTH);
        assertThat(barlow.classifier()).isEqualTo(Downstream.Classifier.MLP);
        assertThat(barlow.optimizer().learningRate()).isEqualTo(0.01);
        Downstream.Settings gentle = ev.settings(arms.get(3));
        assertThat(gentle.backboneLearningRateScale()).isEqualTo(0.1);
        assertThat(gentle.probeEpochs()).isEqualTo(3);
        assertThat(gentle.optimizer().learningRate()).isEqualTo(0.001);
        // the supervised baseline has nothing to protect: full rate, no head-only epochs, whatever the defaults say
        Downstream.Settings sup = ev("{backboneLearningRateScale: 0.1, probeEpochs: 4}").settings(Arm.BUILT_IN.get("supervised"));
        assertThat(sup.backboneLearningRateScale()).isEqualTo(1.0);
        assertThat(sup.probeEpochs()).isZero();

        assertThatThrownBy(() -> ev("{arms: [crossl-prob]}")).hasMessageContaining("evaluation.arms").hasMessageContaining("did you mean 'crossl-probe'");
        assertThatThrownBy(() -> ev("{arms: [{name: x, pretrain: {}, head: sideways}]}")).hasMessageContaining("arm 'x': head must be probe or finetune");
        assertThatThrownBy(() -> ev("{arms: [{name: x, pretrian: {}, head: probe}]}")).hasMessageContaining("arm 'x': unknown key 'pretrian'")
                .hasMessageContaining("did you mean 'pretrain'");
        assertThatThrownBy(() -> ev("{arms: [{name: x, pretrain: none, head: probe}]}")).hasMessageContaining("reads random features");
        assertThatThrownBy(() -> ev("{arms: [crossl-probe, {name: crossl-probe, head: finetune}]}")).hasMessageContaining("two arms are named 'crossl-probe'");
        assertThatThrownBy(() -> ev("{arms: [{name: x, head: probe, features: everything}]}")).hasMessageContaining("arm 'x': features must be");
    }

    @Test
    void manyDevicesAreScoredLeaveOneOutKeepOneAndASeededSample() {
        List<String> seven = List.of("1", "2", "3", "4", "5", "6", "7");
        assertThat(MissingDevices.scoredSubsets(List.of("a", "b", "c"), 62, 16, 0)).hasSize(6);
        List<List<String>> s = MissingDevices.scoredSubsets(seven, 62, 16, 0);
        assertThat(s).hasSize(7 + 7 + 16).doesNotHaveDuplicates();
        assertThat(s.subList(0, 7)).allSatisfy(x -> assertThat(x).hasSize(1));
        assertThat(s.subList(7, 14)).allSatisfy(x -> assertThat(x).hasSize(6));
        assertThat(s).allSatisfy(x -> assertThat(x.size()).isBetween(1, 6));
        assertThat(MissingDevices.scoredSubsets(seven, 62, 16, 0)).isEqualTo(s); // seeded
        assertThat(MissingDevices.scoredSubsets(seven, 200, 16, 0)).hasSize(126); // under the limit: all of them
        assertThat(MissingDevices.scoredSubsets(List.of("a", "b", "c", "d"), 4, 100, 0)).hasSize(14); // the sample cannot exceed what is left
        assertThat(MissingDevices.scoredSubsets(List.of("x"), 62, 16, 0)).isEmpty();
    }

    @Test
    void wideMissingTablesAreTransposedAndSayTheyAreOverScoredSubsets() {
        EvaluationConfig ev = ev("{arms: [crossl-probe, supervised], labelFractions: [1.0]}");
        List<List<String>> subsets = MissingDevices.scoredSubsets(List.of("1", "2", "3", "4", "5", "6", "7"), 62, 4, 0);
        java.util.Map<String, Double> missing = new java.util.LinkedHashMap<>();
        subsets.forEach(x -> missing.put(MissingDevices.key(x), 0.5));
        List<EvaluateRun.Record> rs = List.of(new EvaluateRun.Record("crossl-probe", 1.0, 0, new ClassificationMetrics(0.7, 0.7, java.util.Map.of(), 10,
                new long[0][0]), missing, 10, 1, 0.7), new EvaluateRun.Record("supervised", 1.0, 0, new ClassificationMetrics(0.8, 0.8, java.util.Map.of(), 10,
                new long[0][0]), missing, 10, 1, 0.8));
        String md = EvaluationReport.missingTable(ev, ev.armList(), rs, subsets, 126, false);
        assertThat(md).contains("18 of the 126 non-empty proper subsets are scored", "| absent | crossl-probe | supervised |", "| (none) | 0.700 | 0.800 |",
                "| 1 | 0.500 | 0.500 |", "| **mean over scored subsets** | 0.500 | 0.500 |");
        String narrow = EvaluationReport.missingTable(ev, ev.armList(), rs, List.of(List.of("1")), 1, false);
        assertThat(narrow).contains("Every non-empty proper subset is scored (1)", "| arm | none | 1 | mean | worst |");
    }
}
