package org.crossl.eval;

import java.util.List;
import java.util.Locale;
import org.crossl.eval.heads.Downstream;

/** The paper's claims checked on an evaluation's records, for {@code results.md}. */
final class Claims {
    private Claims() {
    }

    /**
     * The paper's claims, each checked on this run's numbers where the arms it needs ran; arms are
     * found by role, so renamed or added arms still count. CroSSL (the best arm of role
     * {@code crossl}) beats the supervised baseline at label fractions up to 0.1; spatial masking
     * (the CroSSL probe) beats random masking; the CroSSL probe matches or beats the contrastive
     * (SimCLR) probe; a missing device costs each CroSSL arm less macro-F1 than it costs the
     * supervised model (mean drop over the scored subsets, at the largest label fraction).
     */
    static String of(EvaluationConfig ev, List<EvaluateRun.Record> records, List<List<String>> subsets) {
        return of(ev, records, subsets, false);
    }

    /** As {@link #of(EvaluationConfig, List, List)}; with {@code byModality} the absent units are modalities (single-device data). */
    static String of(EvaluationConfig ev, List<EvaluateRun.Record> records, List<List<String>> subsets, boolean byModality) {
        StringBuilder md = new StringBuilder("\n## The paper's claims on this run\n\n");
        java.util.function.BiFunction<String, Double, Double> f1 = (arm, f) -> EvaluationReport.mean(records.stream()
                .filter(r -> r.arm().equals(arm) && r.labelFraction() == f).mapToDouble(r -> r.test().macroF1()).toArray());
        List<Arm> arms = ev.armList();
        List<Arm> crossl = arms.stream().filter(a -> a.role() == Arm.Role.CROSSL).toList();
        Arm crosslProbe = crossl.stream().filter(a -> a.head() == Downstream.Mode.PROBE).findFirst().orElse(null);
        Arm supervised = arms.stream().filter(a -> a.role() == Arm.Role.SUPERVISED).findFirst().orElse(null);
        Arm random = arms.stream().filter(a -> a.role() == Arm.Role.RANDOM_MASK).findFirst().orElse(null);
        Arm contrastive = arms.stream().filter(a -> a.role() == Arm.Role.CONTRASTIVE).findFirst().orElse(null);
        int lines = 0;
        if (supervised != null && !crossl.isEmpty()) {
            for (double f : ev.labelFractions()) {
                if (f > 0.1) {
                    continue;
                }
                Arm best = null;
                double bestF1 = Double.NEGATIVE_INFINITY;
                StringBuilder each = new StringBuilder();
                for (Arm a : crossl) {
                    double v = f1.apply(a.name(), f);
                    each.append(String.format(Locale.ROOT, "%s%s %.3f", each.length() == 0 ? "" : ", ", a.name(), v));
                    if (v > bestF1) {
                        bestF1 = v;
                        best = a;
                    }
                }
                double sup = f1.apply(supervised.name(), f);
                md.append(String.format(Locale.ROOT, "- CroSSL beats the supervised baseline at label fraction %s: **%s** (best CroSSL arm %s %.3f — %s "
                        + "— against %s %.3f)%n", f, bestF1 > sup ? "yes" : "no", best.name(), bestF1, each, supervised.name(), sup));
                lines++;
            }
        }
        if (crosslProbe != null && random != null) {
            lines += comparison(md, ev, f1, "Spatial masking beats random masking", crosslProbe, random, false);
        }
        if (crosslProbe != null && contrastive != null) {
            lines += comparison(md, ev, f1, "The CroSSL probe matches or beats the contrastive (SimCLR) probe", crosslProbe, contrastive, true);
        }
        if (!subsets.isEmpty() && supervised != null) {
            double f = ev.labelFractions().get(ev.labelFractions().size() - 1);
            java.util.function.Function<String, Double> drop = arm -> {
                List<EvaluateRun.Record> rs = records.stream().filter(r -> r.arm().equals(arm) && r.labelFraction() == f).toList();
                double none = EvaluationReport.mean(rs.stream().mapToDouble(r -> r.test().macroF1()).toArray());
                double missing = EvaluationReport.mean(subsets.stream().mapToDouble(sub -> EvaluationReport.mean(rs.stream().filter(r -> r.missing().containsKey(MissingDevices.key(sub)))
                        .mapToDouble(r -> r.missing().get(MissingDevices.key(sub))).toArray())).toArray());
                return none - missing;
            };
            double sup = drop.apply(supervised.name());
            for (Arm arm : crossl) {
                double d = drop.apply(arm.name());
                md.append(String.format(Locale.ROOT, "- A missing %s costs %s less than the supervised model (label fraction %s): **%s** "
                        + "(mean macro-F1 drop %.3f against %.3f)%n", byModality ? "modality" : "device", arm.name(), f, d < sup ? "yes" : "no", d, sup));
                lines++;
            }
        }
        return lines == 0 ? "" : md.toString();
    }

    private static int comparison(StringBuilder md, EvaluationConfig ev, java.util.function.BiFunction<String, Double, Double> f1, String claim,
                                  Arm a, Arm b, boolean ties) {
        int wins = 0;
        StringBuilder detail = new StringBuilder();
        for (double f : ev.labelFractions()) {
            double x = f1.apply(a.name(), f);
            double y = f1.apply(b.name(), f);
            wins += x > y || ties && x == y ? 1 : 0;
            detail.append(String.format(Locale.ROOT, "%s%s: %.3f vs %.3f", detail.length() == 0 ? "" : "; ", f, x, y));
        }
        int n = ev.labelFractions().size();
        md.append(String.format(Locale.ROOT, "- %s (%s against %s): **%s** at %d of %d label fractions (%s)%n", claim, a.name(), b.name(),
                wins == n ? "yes" : wins == 0 ? "no" : "mixed", wins, n, detail));
        return 1;
    }
}
