package org.crossl.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.nn.Parameter;
import org.crossl.core.AtomicFiles;
import org.crossl.core.Versions;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.data.Normalizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saves and loads a {@link CrosslModel} as a directory:
 * <ul>
 * <li>{@code model.json}: format name and version, library version, the resolved config, the
 * modalities, the normaliser, and a manifest of the parameters (name, shape, type) with the SHA-256 of
 * the parameter file;</li>
 * <li>{@code parameters.bin}: the parameter values in manifest order, little-endian, raw.</li>
 * </ul>
 * Loading rebuilds the components from the recorded config through the providers, then copies the
 * values in by name, checking every shape and the checksum. Files are written to a temporary name and
 * moved into place, so an interrupted save never leaves a half-written model behind a valid name.
 */
public final class ModelIO {
    public static final String FORMAT = "crossl-model";
    public static final int FORMAT_VERSION = 1;
    public static final String MODEL_FILE = "model.json";
    public static final String PARAMETERS_FILE = "parameters.bin";

    private ModelIO() {
    }

    public static void save(CrosslModel model, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path binTmp = dir.resolve(PARAMETERS_FILE + ".tmp");
        ParameterFile written = writeParameters(model.namedParameters(), binTmp);
        ObjectNode root = Json.JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("crosslVersion", Versions.library());
        ObjectNode provenance = root.putObject("provenance");
        provenance.put("savedAt", java.time.Instant.now().toString());
        Versions.environment().forEach((k, v) -> provenance.putPOJO(k, v));
        root.set("config", Json.tree(model.resolvedConfig()));
        ArrayNode mods = root.putArray("modalities");
        for (ModalitySpec m : model.modalities()) {
            mods.add(Json.JSON.valueToTree(m));
        }
        root.set("normalizer", model.normalizer() == null ? null : Json.JSON.valueToTree(model.normalizer()));
        root.put("parameterCount", model.parameterCount());
        root.put("parametersFile", PARAMETERS_FILE);
        root.put("parametersSha256", written.sha256());
        root.set("parameters", written.manifest());
        Path jsonTmp = dir.resolve(MODEL_FILE + ".tmp");
        Json.JSON.writeValue(jsonTmp.toFile(), root);
        AtomicFiles.move(binTmp, dir.resolve(PARAMETERS_FILE));
        AtomicFiles.move(jsonTmp, dir.resolve(MODEL_FILE));
    }

    /** Loads a model saved by {@link #save}, building its components with {@code assembler}. */
    public static CrosslModel load(Path dir, ModelAssembler assembler) throws IOException {
        Path json = dir.resolve(MODEL_FILE);
        JsonNode root = readHeader(json, FORMAT, FORMAT_VERSION, "model", "no saved model at " + dir.toAbsolutePath() + " (expected "
                + MODEL_FILE + "; pretrain writes it with --out)");
        List<ModalitySpec> modalities = new ArrayList<>();
        for (JsonNode m : root.path("modalities")) {
            modalities.add(Json.JSON.treeToValue(m, ModalitySpec.class));
        }
        ObjectNode config = ((ObjectNode) root.get("config")).deepCopy();
        if (!config.has("projector")) {
            // saved before the projector existed, or without one: the model has none, whatever today's default
            config.putObject("projector").putArray("layers");
        }
        ExperimentConfig cfg = Json.config(config, json.toString() + " (config)");
        CrosslModel model = assembler.assemble(cfg, modalities, Json.section("data", config.get("data"), json + " (config)")).model();
        Map<String, Parameter> params = model.namedParameters();

        Path bin = dir.resolve(root.path("parametersFile").asText(PARAMETERS_FILE));
        readParameters(bin, root.path("parameters"), root.path("parametersSha256").asText(), params, json.toString());
        JsonNode norm = root.get("normalizer");
        if (norm != null && !norm.isNull()) {
            model.setNormalizer(Json.JSON.treeToValue(norm, Normalizer.class));
        }
        return model;
    }

    /**
     * Reads a CroSSL JSON file that names its {@code format} and {@code formatVersion}, checking
     * both: a missing file is {@code missing}, another format or a version outside 1..{@code maxVersion}
     * an error naming the file ({@code what}: "model", "classifier").
     */
    public static JsonNode readHeader(Path json, String format, int maxVersion, String what, String missing) throws IOException {
        JsonNode root;
        try {
            root = Json.JSON.readTree(json.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IOException(missing);
        }
        if (!format.equals(root.path("format").asText())) {
            throw new IOException(json + " is not a CroSSL " + what + " file (format '" + root.path("format").asText() + "')");
        }
        int version = root.path("formatVersion").asInt(-1);
        if (version < 1 || version > maxVersion) {
            throw new IOException(json + " has " + what + " format version " + version + "; this release reads versions 1.." + maxVersion
                    + " (saved by CroSSL " + root.path("crosslVersion").asText("?") + ")");
        }
        return root;
    }

    /**
     * The manifest and checksum of a written parameter file.
     *
     * @param manifest one entry per parameter, in file order: {@code name}, {@code shape}, {@code dtype}
     * @param sha256   hex SHA-256 of the file's bytes
     */
    public record ParameterFile(ArrayNode manifest, String sha256) {
    }

    /**
     * Writes parameter values in map order, little-endian, raw (float32, or float64 for float64
     * parameters): the {@code parameters.bin} codec, public so that the plugin test kit round-trips
     * a single component through the same bytes a model file holds.
     */
    public static ParameterFile writeParameters(Map<String, Parameter> params, Path file) throws IOException {
        MessageDigest sha = sha256();
        ArrayNode manifest = Json.JSON.createArrayNode();
        try (OutputStream raw = Files.newOutputStream(file);
             DigestOutputStream dig = new DigestOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16), sha);
             DataOutputStream out = new DataOutputStream(dig)) {
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                INDArray v = e.getValue().value();
                ObjectNode entry = manifest.addObject();
                entry.put("name", e.getKey());
                ArrayNode shape = entry.putArray("shape");
                for (long s : v.shape()) {
                    shape.add(s);
                }
                boolean dbl = v.dataType() == DataType.DOUBLE;
                entry.put("dtype", dbl ? "float64" : "float32");
                ByteBuffer buf;
                if (dbl) {
                    double[] a = v.dup('c').data().asDouble();
                    buf = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                    buf.asDoubleBuffer().put(a);
                } else {
                    float[] a = v.castTo(DataType.FLOAT).dup('c').data().asFloat();
                    buf = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    buf.asFloatBuffer().put(a);
                }
                out.write(buf.array());
            }
        }
        return new ParameterFile(manifest, HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * Reads a file written by {@link #writeParameters} into {@code params} by name, checking every
     * name, shape, the length and the checksum; {@code where} names the manifest's file in messages.
     */
    public static void readParameters(Path bin, JsonNode manifest, String expectedSha256, Map<String, Parameter> params, String where)
            throws IOException {
        MessageDigest sha = sha256();
        int seen = 0;
        try (InputStream raw = Files.newInputStream(bin);
             DigestInputStream dig = new DigestInputStream(new java.io.BufferedInputStream(raw, 1 << 16), sha);
             DataInputStream in = new DataInputStream(dig)) {
            for (JsonNode entry : manifest) {
                String name = entry.path("name").asText();
                Parameter p = params.get(name);
                if (p == null) {
                    throw new IOException(where + ": parameter '" + name + "' is not part of the model its config builds; "
                            + "was it saved by a different version of a plugin?");
                }
                long[] shape = new long[entry.path("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = entry.path("shape").get(i).asLong();
                }
                if (!java.util.Arrays.equals(shape, p.value().shape())) {
                    throw new IOException(where + ": parameter '" + name + "' has shape " + java.util.Arrays.toString(shape)
                            + " in the file but " + java.util.Arrays.toString(p.value().shape()) + " in the model");
                }
                long n = p.value().length();
                boolean dbl = "float64".equals(entry.path("dtype").asText());
                byte[] bytes = new byte[Math.toIntExact(n * (dbl ? 8 : 4))];
                in.readFully(bytes);
                ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                INDArray v;
                if (dbl) {
                    double[] a = new double[(int) n];
                    buf.asDoubleBuffer().get(a);
                    v = Nd4j.create(a, shape, DataType.DOUBLE);
                } else {
                    float[] a = new float[(int) n];
                    buf.asFloatBuffer().get(a);
                    v = Nd4j.create(a, shape, 'c');
                }
                p.value().assign(v.castTo(p.value().dataType()));
                seen++;
            }
            if (in.read() != -1) {
                throw new IOException(bin + " is longer than its manifest says; the model files do not belong together");
            }
        } catch (java.io.EOFException e) {
            throw new IOException(bin + " is shorter than its manifest says: the file is truncated", e);
        } catch (NoSuchFileException e) {
            throw new IOException("the model at " + bin.getParent() + " has no " + bin.getFileName(), e);
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!expectedSha256.equals(actual)) {
            throw new IOException(bin + " is damaged: its SHA-256 is " + actual + " but model.json recorded " + expectedSha256);
        }
        if (seen != params.size()) {
            throw new IOException(where + " holds " + seen + " parameters but the model has " + params.size());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
