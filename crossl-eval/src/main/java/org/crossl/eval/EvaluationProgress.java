package org.crossl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crossl.core.AtomicFiles;
import org.crossl.core.config.Json;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.model.ModelIO;
import org.crossl.core.train.PretrainResult;

/**
 * What an interrupted {@code crossl evaluate} keeps: under {@code DIR/progress/}, each finished
 * pretraining ({@code pretrained/<variant>-seed<N>-<key prefix>/}: the model files, {@code history.json} and
 * {@code key.txt}) and each finished (arm, label fraction, seed) record ({@code records.jsonl}, one
 * line per record). A later run into the same directory reuses every entry whose key (a SHA-256 of
 * the resolved config, the evaluation settings that shape the result, and the split sizes) matches,
 * so a killed protocol continues where it stopped and never reuses a result computed under another
 * config. A pretraining in progress keeps its checkpoints under {@code training/} (every
 * {@code training.checkpointEverySteps} steps and each epoch), so a kill costs at most that many
 * steps; they are deleted once its model is saved. Entries are written to a temporary file and renamed, so a kill leaves none half-written.
 */
final class EvaluationProgress {
    static final String DIR = "progress";

    private final Path root;
    private final Map<String, EvaluateRun.Record> records = new HashMap<>();

    EvaluationProgress(Path out, boolean fresh) throws IOException {
        this.root = out.resolve(DIR);
        if (fresh) {
            AtomicFiles.deleteTree(root);
        }
        Files.createDirectories(root.resolve("pretrained"));
        Path jsonl = root.resolve("records.jsonl");
        if (Files.exists(jsonl)) {
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = Json.JSON.readTree(line);
                    records.put(n.path("key").asText(), Json.JSON.treeToValue(n.get("record"), EvaluateRun.Record.class));
                } catch (IOException e) {
                    // a line cut by a kill in the middle of an append: that record is simply recomputed
                }
            }
        }
    }

    /**
     * A finished pretraining with this key, loaded; empty when there is none or it was made under
     * another key. The key decides, not the variant's name: a pretraining saved under another arm's
     * name (an earlier run listed other arms first) is found and reused.
     */
    Optional<Pretrained> pretrained(String variant, long seed, String key, ModelAssembler assembler) throws IOException {
        Path dir = pretrainedDir(variant, seed, key);
        if (!hasKey(dir, key)) {
            Optional<Path> other = withKey(root.resolve("pretrained"), seed, key);
            if (other.isEmpty()) {
                return Optional.empty();
            }
            dir = other.get();
        }
        CrosslModel model = ModelIO.load(dir, assembler);
        PretrainResult history = Json.JSON.readValue(dir.resolve("history.json").toFile(), PretrainResult.class);
        return Optional.of(new Pretrained(model, history));
    }

    void savePretrained(String variant, long seed, String key, CrosslModel model, PretrainResult history) throws IOException {
        Path dir = pretrainedDir(variant, seed, key);
        Files.deleteIfExists(dir.resolve("key.txt")); // the key goes last: a folder without it is never reused
        ModelIO.save(model, dir);
        Path h = dir.resolve("history.json.tmp");
        Json.JSON.writeValue(h.toFile(), history);
        AtomicFiles.move(h, dir.resolve("history.json"));
        Path k = dir.resolve("key.txt.tmp");
        Files.writeString(k, key + "\n");
        AtomicFiles.move(k, dir.resolve("key.txt"));
    }

    private static boolean hasKey(Path dir, String key) throws IOException {
        Path keyFile = dir.resolve("key.txt");
        return Files.exists(keyFile) && Files.readString(keyFile).strip().equals(key);
    }

    /** The folder under {@code parent} named {@code *-seed<N>-<key prefix>} whose {@code key.txt} is the key. */
    private static Optional<Path> withKey(Path parent, long seed, String key) throws IOException {
        if (!Files.isDirectory(parent)) {
            return Optional.empty();
        }
        for (Path d : named(parent, seed, key)) {
            if (hasKey(d, key)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** {@code -seed<N>-<key prefix>}: how a pretraining's folders end, whichever arm named them. */
    private static String suffix(long seed, String key) {
        return "-seed" + seed + "-" + key.substring(0, Math.min(12, key.length()));
    }

    /** The folders under {@code parent} (which exists) whose names end in {@link #suffix}, sorted. */
    private static List<Path> named(Path parent, long seed, String key) throws IOException {
        String suffix = suffix(seed, key);
        try (var dirs = Files.list(parent)) {
            return dirs.filter(d -> Files.isDirectory(d) && d.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    Optional<EvaluateRun.Record> record(String key) {
        return Optional.ofNullable(records.get(key));
    }

    void saveRecord(String key, EvaluateRun.Record r) throws IOException {
        ObjectNode line = Json.JSON.createObjectNode();
        line.put("key", key);
        line.set("record", Json.JSON.valueToTree(r));
        // one short append per record; a line cut by a kill fails to parse and is recomputed
        Files.writeString(root.resolve("records.jsonl"),
                Json.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        records.put(key, r);
    }

    /**
     * Where an unfinished pretraining keeps its checkpoints ({@code training/<variant>-seed<N>-<key prefix>/}),
     * or the folder an earlier run started for the same key under another arm's name (its
     * checkpoints carry the full key, which {@code Checkpoints} checks).
     */
    Path trainingDir(String variant, long seed, String key) throws IOException {
        Path training = root.resolve("training");
        Path own = training.resolve(variant + suffix(seed, key));
        if (!Files.isDirectory(own) && Files.isDirectory(training)) {
            List<Path> other = named(training, seed, key);
            if (!other.isEmpty()) {
                return other.get(0);
            }
        }
        return own;
    }

    /** Named by the key too, so that a sweep's runs, which share one progress folder, never overwrite each other's. */
    private Path pretrainedDir(String variant, long seed, String key) {
        return root.resolve("pretrained").resolve(variant + suffix(seed, key));
    }

    record Pretrained(CrosslModel model, PretrainResult history) {
    }

    static String settings(EvaluationConfig ev) {
        return List.of(ev.features(), ev.headEpochs(), ev.headBatchSize(), ev.headPatience(), ev.probeLearningRate(),
                ev.finetuneLearningRate(), ev.missingDevices()).toString();
    }
}
