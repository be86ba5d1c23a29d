package org.crossl.datasets.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects fuzz outcomes and renders them as the Markdown summary the reliability issue asks for:
 * per reader, per mutation kind, how many cases ended as a valid dataset, a clear error or a defect,
 * with one example message each, so that a reader of the report sees what was tried.
 */
final class FuzzReport {

    enum Result { OK, CLEAR_ERROR, DEFECT }

    /** One case: what was mutated, how, and how the reader reacted. */
    record Outcome(String target, String kind, String mutation, Result result, String message) {
    }

    private final String title;
    private final List<Outcome> outcomes = new ArrayList<>();

    FuzzReport(String title) {
        this.title = title;
    }

    synchronized void add(Outcome o) {
        outcomes.add(o);
    }

    synchronized List<Outcome> defects() {
        return outcomes.stream().filter(o -> o.result() == Result.DEFECT).toList();
    }

    synchronized String markdown() {
        StringBuilder sb = new StringBuilder("# Fuzz summary: ").append(title).append("\n\n");
        sb.append(outcomes.size()).append(" cases, ")
                .append(outcomes.stream().filter(o -> o.result() == Result.OK).count()).append(" valid, ")
                .append(outcomes.stream().filter(o -> o.result() == Result.CLEAR_ERROR).count()).append(" clear errors, ")
                .append(defects().size()).append(" defects.\n");
        Map<String, Map<String, List<Outcome>>> byTarget = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            byTarget.computeIfAbsent(o.target(), t -> new LinkedHashMap<>()).computeIfAbsent(o.kind(), k -> new ArrayList<>()).add(o);
        }
        for (Map.Entry<String, Map<String, List<Outcome>>> t : byTarget.entrySet()) {
            sb.append("\n## ").append(t.getKey()).append("\n\n");
            sb.append("| case kind | cases | OK | clear error | defect | example |\n|---|---|---|---|---|---|\n");
            for (Map.Entry<String, List<Outcome>> k : t.getValue().entrySet()) {
                List<Outcome> list = k.getValue();
                sb.append("| ").append(k.getKey()).append(" | ").append(list.size())
                        .append(" | ").append(count(list, Result.OK))
                        .append(" | ").append(count(list, Result.CLEAR_ERROR))
                        .append(" | ").append(count(list, Result.DEFECT))
                        .append(" | ").append(cell(example(list))).append(" |\n");
            }
        }
        return sb.toString();
    }

    /** Writes the summary to {@code file} and prints it. */
    void write(Path file) throws IOException {
        String md = markdown();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, md);
        System.out.println(md);
    }

    private static long count(List<Outcome> list, Result r) {
        return list.stream().filter(o -> o.result() == r).count();
    }

    /** A defect first (that is what needs reading), else an error message, else what a valid case did. */
    private static String example(List<Outcome> list) {
        for (Result r : new Result[] {Result.DEFECT, Result.CLEAR_ERROR, Result.OK}) {
            for (Outcome o : list) {
                if (o.result() == r) {
                    return (r == Result.DEFECT ? "DEFECT: " : "") + o.mutation() + " → " + o.message();
                }
            }
        }
        return "";
    }

    private static String cell(String s) {
        // invisible characters are shown, so that the report is plain text and says what a message quoted
        String one = s.replace('\n', ' ').replace('\r', ' ').replace("|", "\\|").replace("\0", "\\0").replace("\uFEFF", "<BOM>");
        return one.length() > 220 ? one.substring(0, 217) + "..." : one;
    }
}
