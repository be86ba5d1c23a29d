package org.crossl.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.ModalitySpec;
import org.crossl.core.CrosslTrainer;
import org.crossl.core.PretrainEngine;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.data.Normalizer;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.train.Checkpoints;
import org.crossl.core.train.PretrainResult;
import org.crossl.core.train.TrainingListener;

/**
 * {@code --engine spark}: pretraining by parameter averaging on Apache Spark, embedded
 * ({@code local[*]}, the default) or on a cluster ({@code --master}, or {@code spark-submit}'s).
 * Executors read the windows themselves; the driver holds the model, averages, validates through a
 * one-task job, and writes checkpoints and the model like a local run.
 */
public final class SparkEngine implements PretrainEngine {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SparkEngine.class);
    public static final String NAME = "spark";
    public static final String DEFAULT_MASTER = "local[*]";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Session open(ExperimentConfig config, ModelAssembler assembler, Path dataRoot, Map<String, String> options) {
        SparkSettings settings = config.spark().bind(SparkSettings.class, config.source());
        SparkJobs.Session session = SparkJobs.open("crossl pretrain " + config.name(), options);
        try {
            return open(config, assembler, dataRoot, settings, session);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The Spark settings every job of the engine needs, each only where the user (or spark-submit) has not set it. */
    static SparkConf sparkConf(String appName, String master) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        }
        conf.setIfMissing("spark.master", DEFAULT_MASTER);
        String m = conf.get("spark.master");
        // One task per executor, with every core of it for ND4J's OpenMP pool: N tasks × N threads
        // would oversubscribe the cores several-fold.
        if (m.startsWith("local")) {
            conf.setIfMissing("spark.task.cpus", String.valueOf(localCores(m)));
            conf.setIfMissing("spark.ui.enabled", "false");
        } else if (conf.contains("spark.executor.cores")) {
            String cores = conf.get("spark.executor.cores");
            conf.setIfMissing("spark.task.cpus", cores);
            conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", cores);
        } else if (!conf.contains("spark.task.cpus")) {
            LOG.warn("spark.executor.cores is not set: Spark may run several tasks per executor, each with ND4J's threads for every core; "
                    + "set --conf spark.executor.cores=N (the engine then runs one task per executor with N threads)");
        }
        conf.setIfMissing("spark.executorEnv.GOMP_SPINCOUNT", System.getenv().getOrDefault("GOMP_SPINCOUNT", "10000"));
        return conf;
    }

    /**
     * The cores one task may use on a local master: N of {@code local[N]}, {@code local[N,F]},
     * {@code local[*]} (this machine's cores), {@code local} (1), and the cores per worker C of
     * {@code local-cluster[N,C,MB]}.
     */
    static int localCores(String master) {
        int open = master.indexOf('[');
        if (open < 0) {
            return 1;
        }
        String[] args = master.substring(open + 1, master.indexOf(']')).split(",");
        if (master.startsWith("local-cluster") && args.length > 1) {
            return Integer.parseInt(args[1].trim());
        }
        String n = args[0].trim();
        return n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
    }

    private Session open(ExperimentConfig config, ModelAssembler assembler, Path dataRoot, SparkSettings settings, SparkJobs.Session spark) {
        JavaSparkContext sc = spark.sc;
        String master = sc.master();
        int partitions = settings.partitions() != null ? settings.partitions() : master.startsWith("local") ? 1 : sc.defaultParallelism();
        JobSpec job = SparkJobs.job(config, assembler, dataRoot, partitions);
        List<Tasks.Described> described;
        try {
            described = new ArrayList<>(spark.tasks(partitions).map(new Tasks.Describe(job)).collect());
        } catch (RuntimeException e) {
            throw SparkErrors.unwrap(e, "reading the data", null);
        }
        described.sort(Comparator.comparingInt(Tasks.Described::partition));
        Tasks.Described first = described.get(0);
        int[] windows = described.stream().mapToInt(Tasks.Described::trainWindows).toArray();
        Normalizer.Sums sums = null;
        if (config.normalize()) {
            for (Tasks.Described d : described) {
                sums = sums == null ? d.sums() : sums.plus(d.sums());
            }
        }
        List<ModalitySpec> modalities = first.modalities().stream().map(Modality::spec).toList();
        ObjectNode resolvedData;
        JsonNode description;
        try {
            resolvedData = (ObjectNode) Json.JSON.readTree(first.resolvedData());
            description = Json.JSON.readTree(first.description());
        } catch (IOException e) {
            throw new IllegalStateException("could not read the executors' data description: " + e.getMessage(), e);
        }
        ModelAssembler.Assembled assembled = assembler.assemble(config, modalities, Json.section("data", resolvedData));
        if (sums != null) {
            assembled.model().setNormalizer(sums.normalizer());
        }
        ParameterAveraging loop = new ParameterAveraging(spark, job, config, assembled.model(), sums, windows, settings.localSteps(),
                first.validationWindows());
        ObjectNode record = Json.JSON.createObjectNode();
        record.put("name", NAME);
        record.putObject("options").put("master", master);
        record.put("partitions", partitions);
        record.put("localSteps", settings.localSteps());
        record.put("batchSizePerTask", config.training().batchSize());
        record.put("windowsPerAveragedStep", partitions * config.training().batchSize());
        record.put("partitionedBy", first.bySubject() ? "subject" : "window");
        ArrayNode perPart = record.putArray("trainWindowsPerPartition");
        for (int w : windows) {
            perPart.add(w);
        }
        record.put("stepsPerEpoch", loop.stepsPerEpoch());
        return new Session() {
            @Override
            public ModelAssembler.Assembled assembled() {
                return assembled;
            }

            @Override
            public Object dataDescription() {
                return description;
            }

            @Override
            public int trainWindows() {
                return first.allTrainWindows();
            }

            @Override
            public int validationWindows() {
                return first.validationWindows();
            }

            @Override
            public Optional<DataSplits> localSplits() {
                return Optional.empty();
            }

            @Override
            public java.util.Map<String, Object> record() {
                return Json.JSON.convertValue(record, new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() {
                });
            }

            @Override
            public PretrainResult fit(TrainingListener listener, Checkpoints checkpoints) {
                try {
                    return loop.fit(listener == null ? new TrainingListener() {
                    } : listener, checkpoints);
                } catch (IOException e) {
                    throw new CrosslTrainer.CheckpointIOException(e);
                }
            }

            @Override
            public void close() {
                spark.close();
            }
        };
    }
}
