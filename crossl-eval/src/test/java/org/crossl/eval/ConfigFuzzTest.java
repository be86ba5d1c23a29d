package org.crossl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.crossl.api.data.ModalitySpec;
import org.crossl.core.Crossl;
import org.crossl.core.config.ConfigError;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.model.ModelAssembler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged experiment configs, read as the CLI reads them ({@link ExperimentConfig#load}), then
 * bound ({@code training}, {@code optimizer}, {@code evaluation}) and assembled into a model. Every
 * outcome must be an assembled model whose resolved config holds only finite numbers, or a
 * {@link ConfigError} whose message starts with the file ({@code …/exp.yaml: …} or
 * {@code …/exp.yaml:LINE:COL: …}). Anything else — another exception, a hang, a stack overflow, a
 * duplicate key silently overriding another — is a defect. The per-kind summary goes to
 * {@code target/fuzz-summary-config.md}.
 */
class ConfigFuzzTest {

    static final long SEED = 0xC0F16L;
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final List<ModalitySpec> MODS = List.of(new ModalitySpec("acc", List.of("x", "y", "z"), 50, "wrist"),
            new ModalitySpec("gyro", List.of("x", "y", "z"), 50, "wrist"));

    /** Every section, in block style so that indentation and tabs matter. */
    static final String BASE = """
            name: fuzz
            description: every section of an experiment
            seed: 7
            normalize: true
            data:
              type: none
              path: somewhere
            encoders:
              default:
                type: tcn
              acc:
                dropout: 0.2
            masker:
              type: spatial
              ratio: 0.5
              mode: bernoulli
            aggregator:
              type: mlp
            objective:
              type: vicreg
              preset: paper
            optimizer:
              learningRate: 0.001
              l2: 0.0001
            training:
              batchSize: 8
              epochs: 3
              patience: 2
            evaluation:
              arms: [crossl-probe, supervised]
              labelFractions: [0.1, 1.0]
              seeds: [0, 1]
              headEpochs: 5
            """;

    static final String[] HUGE = {"1e308", "-1e309", "1e309", "99999999999999999999", ".inf", ".nan", "-9223372036854775809"};
    static final String[] WRONG = {"abc", "[1, 2]", "{a: 1}", "true", "~", "'0.5'", "2.5"};
    static final Pattern VALUE = Pattern.compile("(?m)^(\\s*)([A-Za-z]+): (.+)$");

    /** Kind → number of cases (more where the kind has several distinct values to try). */
    static final Map<String, Integer> KINDS = new LinkedHashMap<>();

    static {
        for (String k : List.of("empty file", "truncate", "byte flips", "empty value", "wrong type", "remove line",
                "unknown key", "tabs", "CRLF", "UTF-8 BOM", "UTF-16", "invalid UTF-8", "Latin-1", "binary junk")) {
            KINDS.put(k, 2);
        }
        KINDS.put("huge number", HUGE.length);
        KINDS.put("duplicate key", 3);
        KINDS.put("deep nesting", 3);
    }

    static final Report REPORT = new Report();

    @TempDir
    static Path tmp;

    @AfterAll
    static void summary() throws IOException {
        String md = REPORT.markdown();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "fuzz-summary-config.md"), md);
        System.out.println(md);
    }

    @Test
    void everyDamagedConfigIsAModelOrAClearError() throws Exception {
        Path seedFile = Files.writeString(Files.createDirectories(tmp.resolve("seed")).resolve("exp.yaml"), BASE);
        Outcome base = run("seed", "unchanged", seedFile);
        assertThat(base.result()).as(base.message()).isEqualTo("OK");

        List<Outcome> defects = new ArrayList<>();
        for (Map.Entry<String, Integer> k : KINDS.entrySet()) {
            for (int v = 0; v < k.getValue(); v++) {
                Random r = new Random(SEED + 7919L * k.getKey().hashCode() + v);
                StringBuilder what = new StringBuilder();
                byte[] bytes = mutate(k.getKey(), v, r, what);
                Path file = Files.write(Files.createDirectories(tmp.resolve(k.getKey().replace(' ', '-') + "-" + v)).resolve("exp.yaml"), bytes);
                Outcome o = run(k.getKey(), what.toString(), file);
                REPORT.add(o);
                if (o.result().equals("DEFECT")) {
                    defects.add(o);
                }
            }
        }
        assertThat(defects).as("defects:%n%s", defects.stream().map(o -> o.kind() + " [" + o.mutation() + "]: " + o.message())
                .collect(Collectors.joining("\n"))).isEmpty();
    }

    record Outcome(String kind, String mutation, String result, String message) {
    }

    static Outcome run(String kind, String what, Path file) {
        try {
            String ok = assertTimeoutPreemptively(TIMEOUT, () -> loadAndAssemble(file), () -> "timed out after " + TIMEOUT);
            if (ok != null) {
                return new Outcome(kind, what, "DEFECT", ok);
            }
            if (kind.equals("duplicate key")) {
                return new Outcome(kind, what, "DEFECT", "duplicate key silently accepted: the later value wins");
            }
            return new Outcome(kind, what, "OK", "assembled");
        } catch (org.opentest4j.AssertionFailedError e) {
            return new Outcome(kind, what, "DEFECT", "hang: " + e.getMessage());
        } catch (ConfigError e) {
            String m = String.valueOf(e.getMessage());
            boolean clear = m.startsWith(file + ":") && !Pattern.compile("java\\.[a-z.]+\\.[A-Z]\\w*(Exception|Error)").matcher(m).find();
            String shown = m.replace(file.getParent().toString(), "<dir>");
            return new Outcome(kind, what, clear ? "CLEAR_ERROR" : "DEFECT", clear ? shown : "unclear ConfigError: " + shown);
        } catch (Throwable e) {
            StackTraceElement[] st = e.getStackTrace();
            return new Outcome(kind, what, "DEFECT", "raw " + e.getClass().getName() + ": " + e.getMessage()
                    + (st.length > 0 ? " at " + st[0] : ""));
        }
    }

    /** The CLI's path from file to model; null when it ends in a usable model, else what is wrong with it. */
    static String loadAndAssemble(Path file) {
        ExperimentConfig c = ExperimentConfig.load(file);
        c.training();
        c.optimizer();
        EvaluationConfig ev = c.evaluation().bind(EvaluationConfig.class, c.source());
        ModelAssembler.Assembled a = Crossl.assembler().assemble(c, MODS, null);
        if (a.model() == null) {
            return "no model";
        }
        String nonFinite = nonFinite(Json.tree(a.resolvedConfig()), "");
        if (nonFinite == null) {
            nonFinite = nonFinite(Json.JSON.valueToTree(ev), "evaluation");
        }
        return nonFinite == null ? null : "accepted a non-finite number at " + nonFinite;
    }

    /** The path of the first NaN or infinite number in the tree, or null. */
    static String nonFinite(JsonNode n, String path) {
        if (n == null) {
            return null;
        }
        if (n.isNumber() && !Double.isFinite(n.asDouble())) {
            return path;
        }
        if (n.isTextual() && (n.asText().equals("NaN") || n.asText().endsWith("Infinity"))) {
            return path; // Jackson writes non-finite doubles as strings
        }
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            String p = nonFinite(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            if (p != null) {
                return p;
            }
        }
        for (int i = 0; n.isArray() && i < n.size(); i++) {
            String p = nonFinite(n.get(i), path + "[" + i + "]");
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------

    static byte[] mutate(String kind, int variant, Random r, StringBuilder what) {
        String text = BASE;
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n")));
        switch (kind) {
            case "empty file" -> {
                what.append(variant == 0 ? "0 bytes" : "only a comment");
                return variant == 0 ? new byte[0] : "# nothing here\n".getBytes(StandardCharsets.UTF_8);
            }
            case "truncate" -> {
                int at = 1 + r.nextInt(text.length() - 1);
                what.append("cut at byte ").append(at).append(" of ").append(text.length());
                return text.substring(0, at).getBytes(StandardCharsets.UTF_8);
            }
            case "byte flips" -> {
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    int at = r.nextInt(b.length);
                    byte x = (byte) (1 + r.nextInt(255));
                    b[at] ^= x;
                    what.append(i == 0 ? "" : ", ").append(at).append(String.format(" ^0x%02x", x & 0xff));
                }
                return b;
            }
            case "huge number", "empty value", "wrong type" -> {
                Matcher m = pick(text, r, kind.equals("huge number") ? "-?\\d[\\d.e-]*|\\[.*" : ".+");
                String by = kind.equals("huge number") ? HUGE[variant % HUGE.length] : kind.equals("empty value") ? ""
                        : WRONG[r.nextInt(WRONG.length)];
                what.append(m.group(2)).append(": '").append(m.group(3)).append("' → '").append(by).append("'");
                return (text.substring(0, m.start(3)) + by + text.substring(m.end(3))).getBytes(StandardCharsets.UTF_8);
            }
            case "remove line" -> {
                int li = r.nextInt(lines.size());
                what.append("line ").append(li + 1).append(" '").append(lines.get(li).strip()).append("'");
                lines.remove(li);
            }
            case "unknown key" -> {
                int li = 1 + r.nextInt(lines.size() - 1);
                String indent = lines.get(li).replaceAll("^(\\s*).*", "$1");
                lines.add(li, indent + "learningRat: 0.1");
                what.append("'learningRat' before line ").append(li + 1);
            }
            case "duplicate key" -> {
                // a later key silently replacing an earlier one hides a mistake: it must be an error
                String[] pairs = {"seed: 8", "  epochs: 300", "training:\n  epochs: 1"};
                String dup = pairs[variant % pairs.length];
                String anchor = dup.startsWith("  epochs") ? "  patience: 2" : "evaluation:";
                int li = lines.indexOf(anchor);
                lines.add(li, dup);
                what.append("'").append(dup.replace("\n", "⏎")).append("' added");
            }
            case "tabs" -> {
                if (variant == 0) {
                    what.append("indentation as tabs");
                    return text.replaceAll("(?m)^  ", "\t").getBytes(StandardCharsets.UTF_8);
                }
                what.append("tab after a colon");
                return text.replace("seed: 7", "seed:\t7").replace("epochs: 3", "epochs:\t\t3").getBytes(StandardCharsets.UTF_8);
            }
            case "CRLF" -> {
                what.append("\\r\\n line ends");
                return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
            }
            case "UTF-8 BOM" -> {
                what.append("EF BB BF prepended");
                return concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, text.getBytes(StandardCharsets.UTF_8));
            }
            case "UTF-16" -> {
                what.append(variant == 0 ? "UTF-16 with BOM" : "UTF-16LE without BOM");
                return text.getBytes(variant == 0 ? StandardCharsets.UTF_16 : StandardCharsets.UTF_16LE);
            }
            case "invalid UTF-8" -> {
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                int at = r.nextInt(b.length);
                what.append("0xFF 0xC3 at byte ").append(at);
                return concat(Arrays.copyOf(b, at), new byte[] {(byte) 0xFF, (byte) 0xC3}, Arrays.copyOfRange(b, at, b.length));
            }
            case "Latin-1" -> {
                what.append("name 'Expérience µ' in Latin-1");
                return text.replace("name: fuzz", "name: Expérience µ").getBytes(StandardCharsets.ISO_8859_1);
            }
            case "binary junk" -> {
                byte[] b = new byte[200 + r.nextInt(300)];
                r.nextBytes(b);
                what.append(b.length).append(" random bytes");
                return b;
            }
            case "deep nesting" -> {
                int depth = new int[] {200, 5_000, 100_000}[variant % 3];
                String flow = variant == 0 ? "[".repeat(depth) + "]".repeat(depth) : "{a: ".repeat(depth) + "1" + "}".repeat(depth);
                what.append(depth).append(variant == 0 ? " nested lists" : " nested mappings").append(" under training.batchSize");
                return text.replace("batchSize: 8", "batchSize: " + flow).getBytes(StandardCharsets.UTF_8);
            }
            default -> throw new IllegalArgumentException(kind);
        }
        return String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A random {@code key: value} line whose value matches {@code valueRegex}. */
    static Matcher pick(String text, Random r, String valueRegex) {
        List<Integer> starts = new ArrayList<>();
        Matcher m = VALUE.matcher(text);
        while (m.find()) {
            if (m.group(3).matches(valueRegex)) {
                starts.add(m.start());
            }
        }
        Matcher one = VALUE.matcher(text);
        if (!one.find(starts.get(r.nextInt(starts.size())))) {
            throw new IllegalStateException();
        }
        return one;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Per kind: how many cases ended as a model, a clear error or a defect, with one example message. */
    static final class Report {
        private final List<Outcome> outcomes = new ArrayList<>();

        synchronized void add(Outcome o) {
            outcomes.add(o);
        }

        synchronized String markdown() {
            StringBuilder sb = new StringBuilder("# Fuzz summary: experiment config\n\n");
            sb.append(outcomes.size()).append(" cases, ").append(count(outcomes, "OK")).append(" assembled, ")
                    .append(count(outcomes, "CLEAR_ERROR")).append(" clear errors, ").append(count(outcomes, "DEFECT")).append(" defects.\n\n");
            sb.append("| case kind | cases | OK | clear error | defect | example |\n|---|---|---|---|---|---|\n");
            Map<String, List<Outcome>> byKind = outcomes.stream().collect(Collectors.groupingBy(Outcome::kind, LinkedHashMap::new, Collectors.toList()));
            for (Map.Entry<String, List<Outcome>> k : byKind.entrySet()) {
                List<Outcome> l = k.getValue();
                Outcome ex = l.stream().filter(o -> o.result().equals("DEFECT")).findFirst()
                        .or(() -> l.stream().filter(o -> o.result().equals("CLEAR_ERROR")).findFirst()).orElse(l.get(0));
                String cell = (ex.result().equals("DEFECT") ? "DEFECT: " : "") + ex.mutation() + " → " + ex.message();
                cell = cell.replace('\n', ' ').replace('\r', ' ').replace("|", "\\|").replace("\0", "\\0");
                sb.append("| ").append(k.getKey()).append(" | ").append(l.size()).append(" | ").append(count(l, "OK"))
                        .append(" | ").append(count(l, "CLEAR_ERROR")).append(" | ").append(count(l, "DEFECT")).append(" | ")
                        .append(cell.length() > 220 ? cell.substring(0, 217) + "..." : cell).append(" |\n");
            }
            return sb.toString();
        }

        private static long count(List<Outcome> l, String r) {
            return l.stream().filter(o -> o.result().equals(r)).count();
        }
    }
}
