package org.crossl.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.spi.ConfigException;
import org.crossl.api.spi.DatasetProvider;
import org.crossl.core.config.Json;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code data: {type: parquet, path: DIR}}: windows exported by {@code crossl data --export parquet}
 * ({@link ParquetWindows}), read with parquet-hadoop wherever the data is read (in each executor
 * under the spark engine). {@code path} is a folder under the data root, an absolute path, or any
 * Hadoop file system URI ({@code hdfs://…}, {@code s3a://…} with its connector on the class path).
 */
public final class ParquetDatasetProvider implements DatasetProvider<ParquetDatasetProvider.Config> {

    /** @param path the export's folder or URI */
    public record Config(String path) {
        public Config {
            if (path == null || path.isBlank()) {
                throw new ConfigException("path", "is required: the folder crossl data --export parquet wrote");
            }
        }
    }

    @Override
    public String name() {
        return "parquet";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public String description() {
        return "windows exported by crossl data --export parquet (crossl-spark): one row per window, per-modality arrays, presence, "
                + "label, subject, split; any Hadoop file system URI";
    }

    /** A local folder is cached like any dataset; a remote URI is read every time. */
    @Override
    public Path source(Config config, Path dataRoot) {
        URI u = URI.create(config.path().replace('\\', '/'));
        return u.getScheme() == null || u.getScheme().equals("file") || u.getScheme().length() == 1 ? local(config, dataRoot) : null;
    }

    private static Path local(Config config, Path dataRoot) {
        String p = config.path().startsWith("file:") ? URI.create(config.path()).getPath() : config.path();
        return dataRoot.resolve(p);
    }

    private static String location(Config config, Path dataRoot) {
        URI u = URI.create(config.path().replace('\\', '/'));
        return u.getScheme() == null || u.getScheme().length() == 1 ? local(config, dataRoot).toAbsolutePath().toString() : config.path();
    }

    @Override
    public DataSplits load(Config config, Path dataRoot, long seed) {
        String where = location(config, dataRoot);
        Configuration conf = new Configuration();
        try {
            org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(where);
            FileSystem fs = dir.getFileSystem(conf);
            org.apache.hadoop.fs.Path metaFile = new org.apache.hadoop.fs.Path(dir, ParquetWindows.METADATA);
            if (!fs.exists(metaFile)) {
                throw new ConfigException("path", where + " holds no " + ParquetWindows.METADATA + ": not a folder written by crossl data "
                        + "--export parquet (or the export did not finish)");
            }
            JsonNode meta;
            try (InputStream in = fs.open(metaFile)) {
                meta = Json.JSON.readTree(in);
            }
            if (!ParquetWindows.FORMAT.equals(meta.path("format").asText()) || meta.path("formatVersion").asInt() > ParquetWindows.VERSION) {
                throw new ConfigException("path", metaFile + " is format " + meta.path("format").asText() + " version "
                        + meta.path("formatVersion").asInt() + "; this reader knows " + ParquetWindows.FORMAT + " up to " + ParquetWindows.VERSION);
            }
            List<ModalitySpec> mods = new ArrayList<>();
            int[] lengths = new int[meta.path("modalities").size()];
            for (int m = 0; m < lengths.length; m++) {
                JsonNode o = meta.path("modalities").get(m);
                List<String> ch = new ArrayList<>();
                o.path("channelNames").forEach(c -> ch.add(c.asText()));
                mods.add(new ModalitySpec(o.path("name").asText(), ch, o.path("samplingRateHz").asDouble(), o.path("device").asText()));
                lengths[m] = o.path("length").asInt();
            }
            List<String> classes = new ArrayList<>();
            meta.path("classNames").forEach(c -> classes.add(c.asText()));
            Part[] parts = new Part[ParquetWindows.SPLITS.length];
            for (int k = 0; k < parts.length; k++) {
                parts[k] = new Part(meta.path("windows").path(ParquetWindows.SPLITS[k]).asInt(), mods, lengths);
            }
            FileStatus[] files = fs.listStatus(dir, p -> p.getName().endsWith(".parquet") && !p.getName().startsWith("_")
                    && !p.getName().startsWith("."));
            Arrays.sort(files, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
            for (FileStatus f : files) {
                try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), f.getPath()).withConf(conf).build()) {
                    for (Group g = r.read(); g != null; g = r.read()) {
                        String split = g.getString("split", 0);
                        int k = Arrays.asList(ParquetWindows.SPLITS).indexOf(split);
                        if (k < 0) {
                            throw new IllegalArgumentException(f.getPath() + ": a row of split '" + split + "'; expected train, validation or test");
                        }
                        parts[k].put(g, f.getPath().toString());
                    }
                }
            }
            WindowDataset[] sets = new WindowDataset[parts.length];
            for (int k = 0; k < parts.length; k++) {
                sets[k] = parts[k].dataset(mods, classes, where, ParquetWindows.SPLITS[k]);
            }
            Map<String, Object> description = new LinkedHashMap<>();
            description.put("type", "parquet");
            description.put("path", where);
            description.put("exportedFrom", Json.JSON.convertValue(meta.path("source"), Map.class));
            return new DataSplits(sets[0], sets[1], sets[2], description);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the Parquet windows in " + where + ": " + e.getMessage(), e);
        }
    }

    /** One split's windows as they arrive, in any order; every index must arrive once. */
    private static final class Part {
        final int n;
        final float[][] data;
        final int[] sizes;
        final float[] presence;
        final int[] labels;
        final int[] subjects;
        final boolean[] seen;
        final String[] columns;

        Part(int n, List<ModalitySpec> mods, int[] lengths) {
            this.n = n;
            columns = mods.stream().map(m -> ParquetWindows.column(m.name())).toArray(String[]::new);
            data = new float[mods.size()][];
            sizes = new int[mods.size()];
            for (int m = 0; m < mods.size(); m++) {
                sizes[m] = lengths[m] * mods.get(m).channels();
                data[m] = new float[Math.multiplyExact(n, sizes[m])];
            }
            presence = new float[n * mods.size()];
            labels = new int[n];
            subjects = new int[n];
            seen = new boolean[n];
        }

        void put(Group g, String file) {
            int i = g.getInteger("index", 0);
            if (i < 0 || i >= n || seen[i]) {
                throw new IllegalArgumentException(file + ": window index " + i + (seen.length > i && i >= 0 ? " appears twice" : " is outside 0…" + (n - 1)));
            }
            seen[i] = true;
            subjects[i] = g.getInteger("subject", 0);
            labels[i] = g.getInteger("label", 0);
            floats(g.getGroup("presence", 0), presence, i * data.length, data.length, file, "presence");
            for (int m = 0; m < data.length; m++) {
                floats(g.getGroup(columns[m], 0), data[m], i * sizes[m], sizes[m], file, columns[m]);
            }
        }

        /** Spark's three-level list: {@code group (LIST) { repeated group list { float element } }}. */
        private static void floats(Group list, float[] dst, int offset, int expected, String file, String column) {
            int count = list.getFieldRepetitionCount(0);
            if (count != expected) {
                throw new IllegalArgumentException(file + ": column " + column + " holds " + count + " values, expected " + expected);
            }
            for (int j = 0; j < count; j++) {
                dst[offset + j] = list.getGroup(0, j).getFloat(0, 0);
            }
        }

        WindowDataset dataset(List<ModalitySpec> mods, List<String> classes, String where, String split) {
            for (int i = 0; i < n; i++) {
                if (!seen[i]) {
                    throw new IllegalArgumentException(where + ": window " + i + " of the " + split + " split is missing from the Parquet files");
                }
            }
            List<org.nd4j.linalg.api.ndarray.INDArray> arrays = new ArrayList<>();
            for (int m = 0; m < mods.size(); m++) {
                long[] shape = {n, sizes[m] / mods.get(m).channels(), mods.get(m).channels()};
                arrays.add(n == 0 ? Nd4j.create(DataType.FLOAT, shape) : Nd4j.create(data[m], shape, 'c'));
            }
            var p = n == 0 ? Nd4j.create(DataType.FLOAT, 0, mods.size()) : Nd4j.create(presence, new long[] {n, mods.size()}, 'c');
            return new WindowDataset(mods, arrays, p, labels, subjects, classes);
        }
    }
}
