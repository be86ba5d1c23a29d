package org.crossl.core.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.nn.Parameter;
import org.crossl.nn.profile.Profiling;
import org.crossl.nn.profile.SectionTimes;
import org.crossl.api.nn.Pass;
import org.crossl.core.Seeds;
import org.crossl.core.Workspaces;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.train.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Steady-state speed of a model on random data, measured the way the PyTorch peer
 * ({@code ../shared/bench/torch_peer.py}) measures it: {@code warmup} training steps (masking,
 * forward, VICReg, backward, Adam) that are not timed, then the median of {@code steps} timed
 * ones; inference = the median of 8 embeddings of a batch after 2 untimed ones; peak resident
 * memory from {@code /proc/self/status} (VmHWM). Four batches are drawn once and cycled, as the
 * peer does.
 */
public final class ThroughputBench {

    /**
     * @param modalities  M (ignored when a config brings its own modalities)
     * @param channels    C per modality
     * @param length      T, samples per window
     * @param trainBatch  training batch size
     * @param inferBatch  embedding batch size (0: skip)
     * @param warmup      untimed training steps
     * @param steps       timed training steps
     * @param profile     also time the sections of the timed training steps ({@link Result#trainProfile()})
     */
    public record Settings(int modalities, int channels, int length, int trainBatch, int inferBatch, int warmup, int steps, boolean profile) {
        /** The peer's defaults: 6 × [512, 3], batch 64, inference 256, 5 + 20 steps, no profile. */
        public static Settings peer() {
            return new Settings(6, 3, 512, 64, 256, 5, 20, false);
        }
    }

    /** The figures, plus every timed step in seconds. */
    public record Result(double trainSamplesPerS, double inferSamplesPerS, long maxRssMb, double[] trainStepSeconds,
                         double[] inferSeconds, long parameters, String threads, Map<String, Double> trainProfile) {
        /** {@code key=value} lines as the peer prints them. */
        public String peerLines() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(java.util.Locale.ROOT, "train_samples_per_s=%.1f%n", trainSamplesPerS));
            if (inferSeconds.length > 0) {
                sb.append(String.format(java.util.Locale.ROOT, "infer_samples_per_s=%.1f%n", inferSamplesPerS));
            }
            sb.append("max_rss_mb=").append(maxRssMb).append('\n');
            return sb.toString();
        }
    }

    private ThroughputBench() {
    }

    /** The built-in reference configuration at the peer's settings. */
    public static ExperimentConfig referenceConfig() {
        try (InputStream in = ThroughputBench.class.getResourceAsStream("reference.yaml")) {
            return ExperimentConfig.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bench reference model", true);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bench's reference config", e);
        }
    }

    /** Modalities {@code m0…} of {@code channels} channels at 50 Hz. */
    public static List<ModalitySpec> modalities(int m, int channels) {
        List<ModalitySpec> out = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            List<String> ch = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                ch.add("c" + c);
            }
            out.add(new ModalitySpec("m" + j, ch, 50, "d" + j));
        }
        return out;
    }

    /**
     * Runs the bench for {@code config}'s model on {@code modalities} (window lengths
     * {@code lengths[m]}).
     */
    public static Result run(ModelAssembler assembler, ExperimentConfig config, List<ModalitySpec> modalities, int[] lengths,
                             Settings s, java.util.function.Consumer<String> log) {
        ModelAssembler.Assembled a = assembler.assemble(config, modalities, null);
        CrosslModel model = a.model();
        List<Parameter> params = new ArrayList<>(model.namedParameters().values());
        Adam adam = new Adam(config.optimizer(), params);
        SplittableRandom data = Seeds.stream(config.seed(), "bench-data");
        SplittableRandom masks = Seeds.stream(config.seed(), "masks");
        Pass pass = Pass.training(Seeds.stream(config.seed(), "dropout"));
        List<WindowBatch> batches = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            batches.add(randomBatch(modalities, lengths, s.trainBatch(), data));
        }
        double[] train = new double[s.steps()];
        SectionTimes times = s.profile() ? new SectionTimes() : null;
        Profiling.install(times); // the training steps only
        for (int step = 0; step < s.warmup() + s.steps(); step++) {
            WindowBatch batch = batches.get(step % 4);
            long t0 = System.nanoTime();
            if (step == s.warmup() && times != null) {
                times.reset();
            }
            Workspaces.run("crossl-bench-train", () -> {
                long z = Profiling.start();
                adam.zeroGrad();
                model.sslStep(batch, a.masker(), a.objective(), pass, masks, true);
                long o = Profiling.start();
                adam.step();
                Profiling.stop("step: Adam (and zeroing gradients)", o);
                Profiling.stop("step: total", z);
            });
            double sec = (System.nanoTime() - t0) / 1e9;
            if (step >= s.warmup()) {
                train[step - s.warmup()] = sec;
            }
            if (log != null) {
                log.accept(String.format(java.util.Locale.ROOT, "train step %d%s: %.3f s", step + 1, step < s.warmup() ? " (warm-up)" : "", sec));
            }
        }
        Map<String, Double> trainProfile = times != null ? perStep(times.seconds(), s.steps()) : Map.of();
        Profiling.install(null);
        double[] infer = new double[s.inferBatch() > 0 ? 8 : 0];
        if (s.inferBatch() > 0) {
            WindowBatch big = randomBatch(modalities, lengths, s.inferBatch(), data);
            for (int k = 0; k < 10; k++) {
                long t0 = System.nanoTime();
                Workspaces.run("crossl-bench-infer", () -> {
                    model.embed(big);
                });
                double sec = (System.nanoTime() - t0) / 1e9;
                if (k >= 2) {
                    infer[k - 2] = sec;
                }
                if (log != null) {
                    log.accept(String.format(java.util.Locale.ROOT, "embed %d%s: %.3f s", k + 1, k < 2 ? " (warm-up)" : "", sec));
                }
            }
        }
        double trainRate = s.trainBatch() / median(train);
        double inferRate = infer.length == 0 ? 0 : s.inferBatch() / median(infer);
        String threads = "OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset")
                + ", ND4J max threads=" + Nd4j.getEnvironment().maxThreads() + ", cores=" + Runtime.getRuntime().availableProcessors()
                + "; convolutions: " + org.crossl.nn.Conv1d.backend();
        return new Result(trainRate, inferRate, maxRssMb(), train, infer, model.parameterCount(), threads, trainProfile);
    }

    /** One reading of a soak: the training step it followed and the process's memory then. */
    public record SoakSample(long step, org.crossl.core.train.MemoryUse memory) {
    }

    /**
     * A soak's readings, and resident memory once warmed up against at the end.
     *
     * @param warmupStep the step from which memory should stay flat (a tenth of the run, and after the first embedding pass)
     */
    public record Soak(List<SoakSample> samples, long warmupStep, long rssAfterWarmupMb, long rssEndMb, long peakRssMb) {
        public long growthMb() {
            return rssEndMb - rssAfterWarmupMb;
        }

        /** Flat: resident memory after warm-up grew by less than 5 % and less than 64 MB. */
        public boolean flat() {
            return growthMb() < 64 && growthMb() < 0.05 * rssAfterWarmupMb;
        }
    }

    /**
     * Trains {@code steps} steps of {@code config}'s model on random windows (four batches, cycled;
     * and every {@code every}·4 steps an embedding pass over one batch, as validation does), reading
     * resident memory every {@code every} steps: it must stay flat once warmed up, or something
     * (a workspace, off-heap buffers, a cache) grows with the steps.
     */
    public static Soak soak(ModelAssembler assembler, ExperimentConfig config, List<ModalitySpec> modalities, int[] lengths, int batch, int steps,
                            int every, java.util.function.Consumer<String> log) {
        ModelAssembler.Assembled a = assembler.assemble(config, modalities, null);
        CrosslModel model = a.model();
        Adam adam = new Adam(config.optimizer(), new ArrayList<>(model.namedParameters().values()));
        SplittableRandom data = Seeds.stream(config.seed(), "bench-data");
        List<WindowBatch> batches = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            batches.add(randomBatch(modalities, lengths, batch, data));
        }
        long warmup = Math.max(4L * every, steps / 10); // the first embedding pass allocates its workspace at step 4·every
        List<SoakSample> samples = new ArrayList<>();
        long afterWarmup = -1;
        for (int step = 1; step <= steps; step++) {
            WindowBatch b = batches.get(step % 4);
            int st = step;
            Workspaces.run("crossl-bench-train", () -> {
                adam.zeroGrad();
                model.sslStep(b, a.masker(), a.objective(), Pass.training(Seeds.stream(config.seed(), "dropout/" + st)),
                        Seeds.stream(config.seed(), "masks/" + st), true);
                adam.step();
            });
            if (step % (4 * every) == 0) {
                Workspaces.run("crossl-bench-infer", () -> {
                    model.embed(b);
                });
            }
            if (step % every == 0 || step == 1) {
                org.crossl.core.train.MemoryUse m = org.crossl.core.train.MemoryUse.now();
                samples.add(new SoakSample(step, m));
                if (afterWarmup < 0 && step >= warmup) {
                    afterWarmup = m.rssMb();
                }
                if (log != null) {
                    log.accept(String.format(java.util.Locale.ROOT, "step %d: resident %d MB, peak %d MB, heap %d MB used of %d MB committed", step,
                            m.rssMb(), m.peakRssMb(), m.heapUsedMb(), m.heapCommittedMb()));
                }
            }
        }
        org.crossl.core.train.MemoryUse end = samples.get(samples.size() - 1).memory();
        return new Soak(samples, warmup, afterWarmup < 0 ? end.rssMb() : afterWarmup, end.rssMb(), end.peakRssMb());
    }

    private static Map<String, Double> perStep(Map<String, Double> total, int steps) {
        Map<String, Double> out = new LinkedHashMap<>();
        total.forEach((k, v) -> out.put(k, v / steps));
        return out;
    }

    static WindowBatch randomBatch(List<ModalitySpec> modalities, int[] lengths, int b, SplittableRandom rng) {
        List<INDArray> inputs = new ArrayList<>();
        for (int m = 0; m < modalities.size(); m++) {
            int c = modalities.get(m).channels();
            float[] v = new float[b * lengths[m] * c];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) gaussian(rng);
            }
            inputs.add(Nd4j.create(v, new long[] {b, lengths[m], c}, 'c'));
        }
        return new WindowBatch(modalities, inputs, Nd4j.ones(DataType.FLOAT, b, modalities.size()), null);
    }

    private static double gaussian(SplittableRandom r) {
        double u = Math.max(r.nextDouble(), 1e-300);
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Peak resident set size of this process in MiB (VmHWM), or -1 where /proc is absent. */
    public static long maxRssMb() {
        return org.crossl.core.train.MemoryUse.now().peakRssMb();
    }

    /** The result as a JSON-ready map. */
    public static Map<String, Object> describe(Result r, Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train_samples_per_s", r.trainSamplesPerS());
        m.put("infer_samples_per_s", r.inferSamplesPerS());
        m.put("max_rss_mb", r.maxRssMb());
        m.put("settings", s);
        m.put("parameters", r.parameters());
        m.put("threads", r.threads());
        m.put("train_step_seconds", r.trainStepSeconds());
        m.put("train_profile_seconds_per_step", r.trainProfile());
        m.put("infer_seconds", r.inferSeconds());
        return m;
    }
}
