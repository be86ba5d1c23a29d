package org.crossl.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.MappedWindowStore;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.data.WindowStore;
import org.crossl.core.config.Json;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compact binary cache of windowed datasets, keyed by the reader, its bound config, the seed and
 * a fingerprint of the source files (relative name, size, modification time of every file under
 * the provider's {@link org.crossl.api.spi.DatasetProvider#source source}). A change to any of them
 * gives a new key, so the windows are rebuilt; the entry of the same reader and config with the old
 * fingerprint is deleted then.
 *
 * <p>An entry is a folder {@code <dir>/<type>-<key>/} with {@code meta.json} (written last) and
 * one {@code <split>.bin} per split: each modality's windows as float32 little-endian
 * {@code [N, T_m, C_m]}, then presence float32 {@code [N, M]}, labels int32 {@code [N]} and subjects
 * int32 {@code [N]}. A hit maps the windows ({@link MappedWindowStore}) instead of reading them, so
 * a dataset larger than memory is paged in batch by batch. Entries are written to a temporary
 * folder and renamed into place; a damaged entry is deleted and rebuilt; a cache that cannot be
 * written only logs a warning. {@code meta.json} records a CRC32C of every 4 MiB of each file: an
 * entry up to 1 GiB is verified whole when loaded (a mismatch is a warning naming the file, and a
 * rebuild); a larger one chunk by chunk before each chunk's first read, so it is still paged in on
 * demand (a mismatch is then an error naming the file and what to delete).
 *
 * <p>Where: system property {@code crossl.cache}, else environment variable {@code CROSSL_CACHE},
 * else {@code $XDG_CACHE_HOME/crossl/windows}, else {@code ~/.cache/crossl/windows}; the value
 * {@code off} turns the cache off.
 */
public final class DatasetCache {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetCache.class);

    /** Bump when the file layout changes: old entries are then ignored (and deleted when their reader and config are loaded). */
    static final int FORMAT = 2;
    /** Checksum chunk: small enough that a damaged spot is located, large enough that the list stays short. */
    static final int CHECK_CHUNK_BYTES = 4 << 20;
    /** Entries up to this size are verified whole when loaded (a mismatch rebuilds them); larger ones chunk by chunk as they are read. */
    static final long EAGER_VERIFY_BYTES = 1L << 30;
    private static final List<String> SPLITS = List.of("train", "validation", "test");

    private final Path dir;
    private final int checkChunkBytes;
    private final long eagerVerifyBytes;

    private DatasetCache(Path dir) {
        this(dir, CHECK_CHUNK_BYTES, EAGER_VERIFY_BYTES);
    }

    private DatasetCache(Path dir, int checkChunkBytes, long eagerVerifyBytes) {
        this.dir = dir;
        this.checkChunkBytes = checkChunkBytes;
        this.eagerVerifyBytes = eagerVerifyBytes;
    }

    /** The cache at {@code dir}, or off when {@code dir} is null. */
    public static DatasetCache at(Path dir) {
        return new DatasetCache(dir);
    }

    /** The same cache with other checksum chunks and another limit for verifying an entry whole (tests). */
    DatasetCache withChecks(int chunkBytes, long eagerBytes) {
        return new DatasetCache(dir, chunkBytes, eagerBytes);
    }

    /** The cache chosen by {@code crossl.cache} / {@code CROSSL_CACHE} / the XDG default. */
    public static DatasetCache fromEnvironment() {
        String v = System.getProperty("crossl.cache");
        if (v == null || v.isBlank()) {
            v = System.getenv("CROSSL_CACHE");
        }
        if (v != null && !v.isBlank()) {
            return v.strip().equalsIgnoreCase("off") ? new DatasetCache(null) : new DatasetCache(Path.of(v.strip()).toAbsolutePath().normalize());
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new DatasetCache(base.resolve("crossl").resolve("windows").toAbsolutePath().normalize());
    }

    /** The cache folder, or null when the cache is off. */
    public Path dir() {
        return dir;
    }

    /**
     * The cached windows for this reader, config, seed and source, or {@code load}'s result,
     * written to the cache. The description gains a {@code cache} entry: {@code hit}, {@code built}
     * or {@code off}, with the entry's folder.
     *
     * @param source the provider's source path, or null (no caching)
     */
    public DataSplits load(String type, org.crossl.core.config.Section resolvedSection, long seed, Path source, Supplier<DataSplits> load) {
        if (dir == null || source == null || !Files.exists(source)) {
            DataSplits d = load.get();
            return withCache(d, Map.of("status", "off", "reason", dir == null ? "cache turned off (crossl.cache / CROSSL_CACHE = off)"
                    : source == null ? "the " + type + " reader names no source to fingerprint" : "source " + source + " not found"));
        }
        ObjectNode keyInputs = Json.JSON.createObjectNode();
        keyInputs.put("format", FORMAT);
        keyInputs.put("type", type);
        keyInputs.set("data", Json.tree(resolvedSection));
        keyInputs.put("seed", seed);
        String configKey = sha256(keyInputs.toString()).substring(0, 16);
        keyInputs.set("sources", fingerprint(source));
        String key = sha256(keyInputs.toString()).substring(0, 24);
        Path entry = dir.resolve(safe(type) + "-" + key);
        if (Files.isRegularFile(entry.resolve("meta.json"))) {
            long t0 = System.nanoTime();
            try {
                Map<String, Object> c = new LinkedHashMap<>();
                DataSplits hit = read(entry, eagerVerifyBytes, c);
                c.put("status", "hit");
                c.put("dir", entry.toString());
                c.put("loadMillis", (System.nanoTime() - t0) / 1_000_000);
                LOG.debug("cache hit {}: {}", entry, c);
                return withCache(hit, c);
            } catch (RuntimeException e) {
                LOG.warn("cache entry {} is damaged ({}); rebuilding it", entry, e.getMessage());
                deleteTree(entry);
            }
        }
        DataSplits built = load.get();
        Map<String, Object> c = new LinkedHashMap<>();
        try {
            long t0 = System.nanoTime();
            write(entry, built, configKey, keyInputs);
            removeStale(type, configKey, entry);
            c.put("status", "built");
            c.put("dir", entry.toString());
            c.put("writeMillis", (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot write the window cache at {}: {} (the data is used without caching)", entry, e.getMessage());
            c.put("status", "off");
            c.put("reason", "cannot write " + entry + ": " + e.getMessage());
        }
        return withCache(built, c);
    }

    private static DataSplits withCache(DataSplits d, Map<String, Object> cache) {
        Map<String, Object> desc = new LinkedHashMap<>(d.description());
        desc.put("cache", cache);
        return new DataSplits(d.train(), d.validation(), d.test(), desc);
    }

    /** Relative path, size and modification time of every regular file under {@code source}, sorted by path. */
    static ArrayNode fingerprint(Path source) {
        ArrayNode out = Json.JSON.createArrayNode();
        List<String[]> rows = new ArrayList<>();
        try (Stream<Path> s = Files.isDirectory(source) ? Files.walk(source) : Stream.of(source)) {
            s.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        String rel = Files.isDirectory(source) ? source.relativize(p).toString() : p.getFileName().toString();
                        rows.add(new String[] {rel, Long.toString(a.size()), Long.toString(a.lastModifiedTime().toMillis())});
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("cannot list " + source + " to fingerprint it for the cache: " + e.getMessage(),
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
        rows.sort((a, b) -> a[0].compareTo(b[0]));
        for (String[] r : rows) {
            out.addArray().add(r[0]).add(Long.parseLong(r[1])).add(Long.parseLong(r[2]));
        }
        return out;
    }

    private void write(Path entry, DataSplits data, String configKey, ObjectNode keyInputs) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempDirectory(dir, entry.getFileName() + ".tmp-");
        try {
            ObjectNode meta = Json.JSON.createObjectNode();
            meta.put("format", FORMAT);
            meta.put("configKey", configKey);
            meta.set("key", keyInputs);
            WindowDataset first = data.train();
            ArrayNode mods = meta.putArray("modalities");
            for (ModalitySpec m : first.modalities()) {
                ObjectNode o = mods.addObject();
                o.put("name", m.name());
                o.set("channels", Json.JSON.valueToTree(m.channelNames()));
                o.put("samplingRateHz", m.samplingRateHz());
                o.put("device", m.device());
            }
            meta.set("classNames", Json.JSON.valueToTree(first.classNames()));
            meta.set("description", Json.JSON.valueToTree(data.description()));
            ObjectNode splits = meta.putObject("splits");
            WindowDataset[] sets = {data.train(), data.validation(), data.test()};
            for (int s = 0; s < 3; s++) {
                Path file = tmp.resolve(SPLITS.get(s) + ".bin");
                ObjectNode split = writeSplit(file, sets[s]);
                ObjectNode check = split.putObject("check");
                check.put("algorithm", ChunkChecksums.ALGORITHM);
                check.put("chunkBytes", checkChunkBytes);
                check.put("bytes", Files.size(file));
                check.set("crc", Json.JSON.valueToTree(ChunkChecksums.compute(file, checkChunkBytes)));
                splits.set(SPLITS.get(s), split);
            }
            Files.writeString(tmp.resolve("meta.json"), Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta),
                    StandardCharsets.UTF_8);
            try {
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, entry);
            } catch (IOException e) {
                // another process built the same entry meanwhile (Linux reports "Directory not empty" as a plain
                // FileSystemException): theirs is complete, ours is the same windows
                if (!Files.isRegularFile(entry.resolve("meta.json"))) {
                    throw e;
                }
                deleteTree(tmp);
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private static ObjectNode writeSplit(Path file, WindowDataset d) throws IOException {
        ObjectNode o = Json.JSON.createObjectNode();
        o.put("windows", d.size());
        ArrayNode lengths = o.putArray("lengths");
        int n = d.size();
        int mCount = d.modalities().size();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int maxWindow = 1;
            for (int m = 0; m < mCount; m++) {
                maxWindow = Math.max(maxWindow, d.store(m).length() * d.store(m).channels());
            }
            ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1 << 20, maxWindow * Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
            for (int m = 0; m < mCount; m++) {
                WindowStore x = d.store(m);
                lengths.add(x.length());
                float[] w = new float[x.length() * x.channels()];
                for (int i = 0; i < n; i++) {
                    x.read(i, w, 0);
                    if (buf.remaining() < w.length * Float.BYTES) {
                        flush(ch, buf);
                    }
                    buf.asFloatBuffer().put(w);
                    buf.position(buf.position() + w.length * Float.BYTES);
                }
            }
            float[] presence = n == 0 ? new float[0] : d.presence().castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (float v : presence) {
                if (buf.remaining() < Float.BYTES) {
                    flush(ch, buf);
                }
                buf.putFloat(v);
            }
            for (int[] ints : new int[][] {d.labels(), d.subjects()}) {
                for (int v : ints) {
                    if (buf.remaining() < Integer.BYTES) {
                        flush(ch, buf);
                    }
                    buf.putInt(v);
                }
            }
            flush(ch, buf);
        }
        return o;
    }

    private static void flush(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }

    /**
     * Maps an entry. Its checksums are verified whole when the entry is at most {@code eagerBytes}
     * (a mismatch throws, and the caller rebuilds it), else chunk by chunk before each is first read
     * (a mismatch then is an error mid-run that says what to delete); the small tail of each file
     * (presence, labels, subjects), read here, is always verified at once.
     */
    private static DataSplits read(Path entry, long eagerBytes, Map<String, Object> report) {
        JsonNode meta;
        try {
            meta = Json.JSON.readTree(entry.resolve("meta.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entry.resolve("meta.json") + ": " + e.getMessage(), e);
        }
        if (meta.path("format").asInt() != FORMAT) {
            throw new IllegalStateException("format " + meta.path("format").asInt() + ", expected " + FORMAT);
        }
        List<ModalitySpec> mods = new ArrayList<>();
        for (JsonNode m : meta.get("modalities")) {
            List<String> ch = new ArrayList<>();
            m.get("channels").forEach(c -> ch.add(c.asText()));
            mods.add(new ModalitySpec(m.get("name").asText(), ch, m.get("samplingRateHz").asDouble(), m.get("device").asText()));
        }
        List<String> classes = new ArrayList<>();
        meta.get("classNames").forEach(c -> classes.add(c.asText()));
        WindowDataset[] sets = new WindowDataset[3];
        ChunkChecksums[] checks = new ChunkChecksums[3];
        long total = 0;
        for (int s = 0; s < 3; s++) {
            JsonNode check = meta.get("splits").get(SPLITS.get(s)).path("check");
            if (!ChunkChecksums.ALGORITHM.equals(check.path("algorithm").asText())) {
                throw new IllegalStateException("meta.json records no " + ChunkChecksums.ALGORITHM + " checksums for " + SPLITS.get(s));
            }
            int[] crc = new int[check.path("crc").size()];
            for (int k = 0; k < crc.length; k++) {
                crc[k] = check.path("crc").get(k).asInt();
            }
            checks[s] = new ChunkChecksums(entry.resolve(SPLITS.get(s) + ".bin"), entry, check.path("bytes").asLong(), check.path("chunkBytes").asInt(),
                    crc);
            total += check.path("bytes").asLong();
        }
        boolean eager = total <= eagerBytes;
        long v0 = System.nanoTime();
        if (eager) {
            for (ChunkChecksums c : checks) {
                c.verifyAll();
            }
            report.put("verified", "whole entry, " + ChunkChecksums.ALGORITHM);
            report.put("verifyMillis", (System.nanoTime() - v0) / 1_000_000);
        } else {
            report.put("verified", ChunkChecksums.ALGORITHM + " per chunk, before its first read");
        }
        for (int s = 0; s < 3; s++) {
            JsonNode sp = meta.get("splits").get(SPLITS.get(s));
            int n = sp.get("windows").asInt();
            Path file = entry.resolve(SPLITS.get(s) + ".bin");
            List<WindowStore> stores = new ArrayList<>();
            long offset = 0;
            for (int m = 0; m < mods.size(); m++) {
                int t = sp.get("lengths").get(m).asInt();
                int c = mods.get(m).channels();
                stores.add(new MappedWindowStore(file, offset, n, t, c, false, eager ? null : checks[s]));
                offset += (long) n * t * c * Float.BYTES;
            }
            int mCount = mods.size();
            float[] presence = new float[n * mCount];
            int[] labels = new int[n];
            int[] subjects = new int[n];
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long tail = (long) n * (mCount * Float.BYTES + 2L * Integer.BYTES);
                if (ch.size() != offset + tail) {
                    throw new IllegalStateException(file + " holds " + ch.size() + " bytes, expected " + (offset + tail));
                }
                checks[s].verify(offset, tail);
                ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, offset, tail).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().get(presence);
                b.position(n * mCount * Float.BYTES);
                b.slice().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(labels).get(subjects);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            var p = n == 0 ? Nd4j.create(DataType.FLOAT, 0, mCount) : Nd4j.create(presence, new long[] {n, mCount}, 'c');
            sets[s] = WindowDataset.ofStores(mods, stores, p, labels, subjects, classes);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> desc = Json.JSON.convertValue(meta.get("description"), Map.class);
        return new DataSplits(sets[0], sets[1], sets[2], desc);
    }

    /**
     * Deletes the other entries of the same reader and config (their sources have changed) and the
     * reader's entries in an older format (nothing reads them any more).
     */
    private void removeStale(String type, String configKey, Path keep) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, safe(type) + "-*")) {
            for (Path p : ds) {
                if (p.equals(keep) || p.getFileName().toString().contains(".tmp-") || !Files.isRegularFile(p.resolve("meta.json"))) {
                    continue;
                }
                try {
                    JsonNode meta = Json.JSON.readTree(p.resolve("meta.json").toFile());
                    if (configKey.equals(meta.path("configKey").asText()) || meta.path("format").asInt() < FORMAT) {
                        deleteTree(p);
                    }
                } catch (IOException e) {
                    // unreadable: leave it
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot scan {} for stale entries: {}", dir, e.getMessage());
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(q -> {
                try {
                    Files.deleteIfExists(q);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    private static String safe(String type) {
        return type.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
