package org.crossl.core.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;

/**
 * What a dataset holds, split by split: subjects, windows (labelled and unlabelled), windows per
 * class, modalities with channels and rates, and how often each modality is absent. Printed by
 * {@code crossl data} and written as JSON with {@code --json}.
 */
public final class DataSummary {

    private static final List<String> SPLITS = List.of("train", "validation", "test");

    private DataSummary() {
    }

    /** The summary as nested maps (JSON-ready). */
    public static Map<String, Object> of(DataSplits data) {
        WindowDataset[] sets = {data.train(), data.validation(), data.test()};
        WindowDataset first = data.train();
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> modalities = new ArrayList<>();
        for (int m = 0; m < first.modalities().size(); m++) {
            ModalitySpec s = first.modalities().get(m);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", s.name());
            e.put("device", s.device());
            e.put("channels", s.channelNames());
            e.put("samplingRateHz", s.samplingRateHz());
            e.put("windowSamples", first.length(m));
            e.put("windowSeconds", first.length(m) / s.samplingRateHz());
            modalities.add(e);
        }
        out.put("modalities", modalities);
        out.put("classNames", first.classNames());
        Map<String, Object> splits = new LinkedHashMap<>();
        for (int k = 0; k < 3; k++) {
            WindowDataset d = sets[k];
            Map<String, Object> s = new LinkedHashMap<>();
            TreeSet<Integer> subjects = new TreeSet<>();
            for (int x : d.subjects()) {
                subjects.add(x);
            }
            s.put("subjects", subjects.size());
            s.put("subjectIds", new ArrayList<>(subjects));
            s.put("windows", d.size());
            int[] perClass = new int[d.classNames().size()];
            int unlabelled = 0;
            for (int l : d.labels()) {
                if (l == WindowBatch.UNLABELLED) {
                    unlabelled++;
                } else {
                    perClass[l]++;
                }
            }
            s.put("labelled", d.size() - unlabelled);
            s.put("unlabelled", unlabelled);
            Map<String, Integer> classes = new LinkedHashMap<>();
            for (int c = 0; c < perClass.length; c++) {
                classes.put(d.classNames().get(c), perClass[c]);
            }
            s.put("perClass", classes);
            Map<String, Integer> absent = new LinkedHashMap<>();
            if (d.size() > 0) {
                float[] p = d.presence().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
                int mCount = d.modalities().size();
                for (int m = 0; m < mCount; m++) {
                    int a = 0;
                    for (int i = 0; i < d.size(); i++) {
                        a += p[i * mCount + m] == 0f ? 1 : 0;
                    }
                    absent.put(d.modalities().get(m).name(), a);
                }
            } else {
                d.modalities().forEach(ms -> absent.put(ms.name(), 0));
            }
            s.put("absentWindowsPerModality", absent);
            splits.put(SPLITS.get(k), s);
        }
        out.put("splits", splits);
        return out;
    }

    /** A plain-text rendering of {@link #of}, as {@code crossl data} prints it. */
    @SuppressWarnings("unchecked")
    public static String text(Map<String, Object> summary) {
        StringBuilder sb = new StringBuilder();
        sb.append("modalities:\n");
        for (Map<String, Object> m : (List<Map<String, Object>>) summary.get("modalities")) {
            sb.append(String.format(Locale.ROOT, "  %-12s device %-12s %2d channels %s  %.4g Hz, %d samples (%.3g s) per window%n",
                    m.get("name"), m.get("device"), ((List<?>) m.get("channels")).size(), m.get("channels"),
                    ((Number) m.get("samplingRateHz")).doubleValue(), m.get("windowSamples"), ((Number) m.get("windowSeconds")).doubleValue()));
        }
        Map<String, Map<String, Object>> splits = (Map<String, Map<String, Object>>) summary.get("splits");
        List<String> classes = (List<String>) summary.get("classNames");
        sb.append(String.format(Locale.ROOT, "%n%-26s", "split"));
        for (String s : SPLITS) {
            sb.append(String.format(Locale.ROOT, "%12s", s));
        }
        sb.append('\n');
        row(sb, "subjects", splits, s -> s.get("subjects"));
        row(sb, "windows", splits, s -> s.get("windows"));
        row(sb, "  labelled", splits, s -> s.get("labelled"));
        row(sb, "  unlabelled", splits, s -> s.get("unlabelled"));
        sb.append("windows per class:\n");
        for (String c : classes) {
            row(sb, "  " + c, splits, s -> ((Map<String, Object>) s.get("perClass")).get(c));
        }
        sb.append("windows with the modality absent:\n");
        for (Map<String, Object> m : (List<Map<String, Object>>) summary.get("modalities")) {
            String name = (String) m.get("name");
            row(sb, "  " + name, splits, s -> ((Map<String, Object>) s.get("absentWindowsPerModality")).get(name));
        }
        sb.append("subject ids:\n");
        for (String s : SPLITS) {
            sb.append(String.format(Locale.ROOT, "  %-12s%s%n", s, splits.get(s).get("subjectIds")));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String label, Map<String, Map<String, Object>> splits,
                            java.util.function.Function<Map<String, Object>, Object> value) {
        String l = label.length() > 25 ? label.substring(0, 24) + "…" : label;
        sb.append(String.format(Locale.ROOT, "%-26s", l));
        for (String s : SPLITS) {
            sb.append(String.format(Locale.ROOT, "%12s", value.apply(splits.get(s))));
        }
        sb.append('\n');
    }
}
