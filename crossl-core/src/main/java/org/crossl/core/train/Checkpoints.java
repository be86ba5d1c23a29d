package org.crossl.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crossl.api.nn.Parameter;
import org.crossl.core.AtomicFiles;
import org.crossl.core.Versions;
import org.crossl.core.config.Json;
import org.crossl.core.model.ModelIO;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checkpoints of a pretraining run, in its output directory:
 * <pre>
 * checkpoint-step00000812/   the newest K (training.keepCheckpoints), by optimiser step
 *   state.json               format, version, config key, loop state ({@link TrainingState}), manifests and SHA-256s
 *   parameters.bin           the model's parameters (the model file's codec, {@link ModelIO#writeParameters})
 *   optimizer.bin            Adam's first and second moments
 *   best.bin                 the parameters of the best epoch so far (early stopping restores them)
 * checkpoint-best/           a copy of the checkpoint written at the end of the best epoch so far
 * </pre>
 * Each checkpoint is written into a hidden temporary folder, every file is fsynced, and the folder
 * is renamed into place and the run directory fsynced: a kill or power cut leaves either the whole
 * checkpoint or none. Loading checks the format, the config key (a checkpoint only resumes the run
 * that wrote it), every shape and every checksum; a damaged newest checkpoint is reported and the
 * next older one is used.
 */
public final class Checkpoints {
    public static final String PREFIX = "checkpoint-";
    public static final String BEST = "checkpoint-best";
    static final String FORMAT = "crossl-checkpoint";
    static final int FORMAT_VERSION = 1;
    private static final Pattern STEP = Pattern.compile("checkpoint-step(\\d+)");

    private final Path dir;
    private final String key;
    private final int everySteps;
    private final int keep;

    /**
     * @param dir        the run directory
     * @param key        identifies the run's config and data; a checkpoint with another key is refused
     * @param everySteps a checkpoint every this many optimiser steps (0: epoch ends only)
     * @param keep       the newest checkpoints kept
     */
    public Checkpoints(Path dir, String key, int everySteps, int keep) {
        this.dir = dir;
        this.key = key;
        this.everySteps = everySteps;
        this.keep = keep;
    }

    public int everySteps() {
        return everySteps;
    }

    public Path dir() {
        return dir;
    }

    /** A loaded checkpoint: the loop state and the folder it came from. */
    public record Loaded(TrainingState state, Path from) {
    }

    /**
     * Writes a checkpoint of the current state; with {@code best} also replaces {@code checkpoint-best}.
     *
     * @return the checkpoint's folder
     */
    public Path save(TrainingState state, Map<String, Parameter> model, Adam adam, List<INDArray> bestValues, boolean best) throws IOException {
        List<String> params = new ArrayList<>(model.keySet());
        List<INDArray> current = model.values().stream().map(Parameter::value).toList();
        String name = String.format(java.util.Locale.ROOT, "checkpoint-step%08d", state.globalStep());
        Path target = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp");
        AtomicFiles.deleteTree(tmp);
        Files.createDirectories(tmp);
        ObjectNode root = Json.JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("crosslVersion", Versions.library());
        root.put("key", key);
        root.set("state", Json.JSON.valueToTree(state));
        root.put("optimizerSteps", adam.steps());
        root.set("parameters", fileNode(ModelIO.writeParameters(named(params, "", current), tmp.resolve("parameters.bin"))));
        root.set("optimizer", fileNode(ModelIO.writeParameters(optimizerArrays(params, adam.state()), tmp.resolve("optimizer.bin"))));
        root.set("best", fileNode(ModelIO.writeParameters(named(params, "", bestValues), tmp.resolve("best.bin"))));
        Json.JSON.writeValue(tmp.resolve("state.json").toFile(), root);
        for (String f : List.of("parameters.bin", "optimizer.bin", "best.bin", "state.json")) {
            AtomicFiles.fsync(tmp.resolve(f));
        }
        AtomicFiles.deleteTree(target);
        AtomicFiles.move(tmp, target);
        AtomicFiles.fsyncDir(dir);
        if (best) {
            Path bestTmp = dir.resolve("." + BEST + ".tmp");
            AtomicFiles.deleteTree(bestTmp);
            Files.createDirectories(bestTmp);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(target)) {
                for (Path f : files) {
                    Files.copy(f, bestTmp.resolve(f.getFileName()));
                    AtomicFiles.fsync(bestTmp.resolve(f.getFileName()));
                }
            }
            Path old = dir.resolve("." + BEST + ".old");
            AtomicFiles.deleteTree(old);
            if (Files.exists(dir.resolve(BEST))) {
                AtomicFiles.move(dir.resolve(BEST), old);
            }
            AtomicFiles.move(bestTmp, dir.resolve(BEST));
            AtomicFiles.fsyncDir(dir);
            AtomicFiles.deleteTree(old);
        }
        prune();
        return target;
    }

    /** Where a training loop starts: the state of the newest checkpoint it continues from (null: none), or the beginning. */
    public record Start(TrainingState state, String from) {
    }

    /**
     * The start of every training loop (the local one, the Spark engine's): the newest checkpoint
     * in {@code checkpoints} restored into the parameters, Adam and {@code bestValues} and told to
     * the listener, or, without checkpoints or a checkpoint, {@link EpochLedger#initial()}.
     */
    public static Start start(Checkpoints checkpoints, Map<String, Parameter> model, Adam adam, List<INDArray> bestValues,
                              TrainingListener listener) throws IOException {
        if (checkpoints != null) {
            var loaded = checkpoints.restoreLatest(model, adam, bestValues, listener::onMessage);
            if (loaded.isPresent()) {
                TrainingState st = loaded.get().state();
                String from = loaded.get().from().toString();
                listener.onResume(st.history(), st.epoch(), st.nextBatch(), from);
                return new Start(st, from);
            }
        }
        return new Start(EpochLedger.initial(), null);
    }

    /** The newest complete checkpoint that loads, put into {@code params}, {@code adam} and {@code bestValues}; empty if none. */
    public Optional<Loaded> restoreLatest(Map<String, Parameter> model, Adam adam, List<INDArray> bestValues,
                                          java.util.function.Consumer<String> warn) throws IOException {
        List<Path> all = list();
        IOException firstError = null;
        for (int i = all.size() - 1; i >= 0; i--) {
            Path c = all.get(i);
            try {
                return Optional.of(new Loaded(load(c, model, adam, bestValues), c));
            } catch (IOException e) {
                if (e instanceof ForeignCheckpointException) {
                    throw e;
                }
                warn.accept("checkpoint " + c.getFileName() + " cannot be used (" + e.getMessage() + "); trying an older one");
                if (firstError == null) {
                    firstError = e;
                }
            }
        }
        if (firstError != null) {
            throw new IOException("no checkpoint in " + dir + " can be loaded; the newest failed with: " + firstError.getMessage(), firstError);
        }
        return Optional.empty();
    }

    /** A checkpoint written by a run with another config or data. */
    public static final class ForeignCheckpointException extends IOException {
        private static final long serialVersionUID = 1L;

        ForeignCheckpointException(String message) {
            super(message);
        }
    }

    private TrainingState load(Path c, Map<String, Parameter> model, Adam adam, List<INDArray> bestValues) throws IOException {
        List<String> params = new ArrayList<>(model.keySet());
        List<Parameter> live = new ArrayList<>(model.values());
        Path json = c.resolve("state.json");
        JsonNode root;
        try {
            root = Json.JSON.readTree(json.toFile());
        } catch (IOException e) {
            throw new IOException(json + " is not readable JSON: " + e.getMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException(json + " is not a CroSSL checkpoint");
        }
        int version = root.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new IOException(json + " has checkpoint format version " + version + "; this release reads version " + FORMAT_VERSION);
        }
        if (!key.equals(root.path("key").asText())) {
            throw new ForeignCheckpointException(c + " was written by a run with another config or other data; "
                    + "--resume continues a run with exactly the config and data it started with");
        }
        TrainingState state = Json.JSON.treeToValue(root.get("state"), TrainingState.class);
        // read into scratch copies first: a damaged file must not leave the model half-overwritten
        List<INDArray> p = copies(live.stream().map(Parameter::value).toList());
        List<INDArray> opt = copies(adam.state());
        List<INDArray> b = copies(bestValues);
        ModelIO.readParameters(c.resolve("parameters.bin"), root.path("parameters").path("manifest"),
                root.path("parameters").path("sha256").asText(), named(params, "", p), json.toString());
        ModelIO.readParameters(c.resolve("optimizer.bin"), root.path("optimizer").path("manifest"),
                root.path("optimizer").path("sha256").asText(), optimizerArrays(params, opt), json.toString());
        ModelIO.readParameters(c.resolve("best.bin"), root.path("best").path("manifest"),
                root.path("best").path("sha256").asText(), named(params, "", b), json.toString());
        for (int i = 0; i < live.size(); i++) {
            live.get(i).value().assign(p.get(i));
            bestValues.get(i).assign(b.get(i));
        }
        adam.restore(root.path("optimizerSteps").asLong(), opt);
        return state;
    }

    /** Complete checkpoints (by step, oldest first); temporary folders are ignored. */
    public List<Path> list() throws IOException {
        return list(dir);
    }

    /** The complete checkpoints in a run directory, oldest first. */
    public static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "checkpoint-step*")) {
            for (Path p : s) {
                if (STEP.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparingLong(Checkpoints::step));
        return out;
    }

    private static long step(Path p) {
        Matcher m = STEP.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private void prune() throws IOException {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            AtomicFiles.deleteTree(all.get(i));
        }
    }

    private static ObjectNode fileNode(ModelIO.ParameterFile f) {
        ObjectNode n = Json.JSON.createObjectNode();
        n.put("sha256", f.sha256());
        n.set("manifest", f.manifest());
        return n;
    }

    private static List<INDArray> copies(List<INDArray> arrays) {
        List<INDArray> out = new ArrayList<>();
        try (var ws = org.nd4j.linalg.factory.Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            arrays.forEach(a -> out.add(a.dup()));
        }
        return out;
    }

    /**
     * Arrays wrapped as parameters under the model's names (its {@code namedParameters()} keys: a
     * layer's own parameter names repeat across modalities), so the model file's codec reads and
     * writes them.
     */
    private static Map<String, Parameter> named(List<String> names, String prefix, List<INDArray> arrays) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(prefix + names.get(i), new Parameter(prefix + names.get(i), arrays.get(i), false));
        }
        return m;
    }

    private static Map<String, Parameter> optimizerArrays(List<String> params, List<INDArray> state) {
        Map<String, Parameter> m = new LinkedHashMap<>(named(params, "m/", state.subList(0, params.size())));
        m.putAll(named(params, "v/", state.subList(params.size(), 2 * params.size())));
        return m;
    }
}
