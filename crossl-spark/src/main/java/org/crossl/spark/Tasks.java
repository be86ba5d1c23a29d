package org.crossl.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.nn.Parameter;
import org.crossl.core.Seeds;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.data.Normalizer;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.train.Adam;
import org.crossl.core.train.Pretrainer;
import org.crossl.core.train.Shuffling;
import org.crossl.core.train.TrainingStep;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The work that runs inside executors. Every task rebuilds what it needs from its inputs (the job
 * spec, the broadcast round state, its partition index) and names its random streams by epoch and
 * batch, so a task that Spark retries returns the same arrays as the first attempt would have.
 */
final class Tasks {
    private Tasks() {
    }

    // ---------------------------------------------------------------- describe and normaliser sums

    /** What one partition reports before training: its size and normaliser sums; partition 0 also describes the data. */
    record Described(int partition, int trainWindows, Normalizer.Sums sums, List<Modality> modalities, String resolvedData, String description,
                     int allTrainWindows, int validationWindows, boolean bySubject) implements Serializable {
    }

    static final class Describe implements Function<Integer, Described> {
        private final JobSpec job;

        Describe(JobSpec job) {
            this.job = job;
        }

        @Override
        public Described call(Integer p) throws JsonProcessingException {
            ExecutorData data = ExecutorData.of(job);
            boolean normalize = job.config().normalize();
            Normalizer.Sums sums = normalize ? data.sums(p) : null;
            if (p != 0) {
                return new Described(p, data.part(p).length, sums, null, null, null, 0, 0, data.bySubject);
            }
            List<Modality> mods = data.splits().train().modalities().stream().map(Modality::of).toList();
            return new Described(p, data.part(p).length, sums, new ArrayList<>(mods), data.loaded.resolvedSection().toJson(),
                    Json.JSON.writeValueAsString(data.splits().description()), data.splits().train().size(), data.splits().validation().size(),
                    data.bySubject);
        }
    }

    // ---------------------------------------------------------------- training rounds

    /**
     * The state a round starts from, broadcast to every task.
     *
     * @param params     every parameter, flattened in {@link CrosslModel#namedParameters()} order
     * @param m          Adam's first moments, the same layout
     * @param v          Adam's second moments
     * @param adamSteps  Adam's step count (its bias correction)
     * @param epoch      the epoch (1-based)
     * @param firstStep  the partition's first step of the round within the epoch (0-based)
     * @param steps      steps each task takes this round
     * @param globalStep steps taken before the round (for error messages)
     * @param round      the round's number over the run (for the injected-failure test)
     * @param sums       the normaliser's sums; null for none
     */
    record RoundInput(float[] params, float[] m, float[] v, long adamSteps, int epoch, int firstStep, int steps, long globalStep, long round,
                      Normalizer.Sums sums) implements Serializable {
    }

    /**
     * Sums over the tasks of a round: parameters and moments (to be divided by {@code tasks}), loss
     * and windows. The state travels as float32 (4 bytes a value, as the parameters are); each
     * addition is done in double and rounded once, so one task's state is carried exactly.
     */
    record RoundOutput(float[] state, double lossSum, Map<String, Double> termSums, int seen, int tasks) implements Serializable {
        static RoundOutput empty() {
            return new RoundOutput(null, 0, new LinkedHashMap<>(), 0, 0);
        }

        RoundOutput plus(RoundOutput o) {
            if (o.tasks == 0) {
                return this;
            }
            if (tasks == 0) {
                return o;
            }
            float[] s = new float[state.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) ((double) state[i] + o.state[i]);
            }
            Map<String, Double> t = new LinkedHashMap<>(termSums);
            o.termSums.forEach((k, val) -> t.merge(k, val, Double::sum));
            return new RoundOutput(s, lossSum + o.lossSum, t, seen + o.seen, tasks + o.tasks);
        }
    }

    /** Set by a test through {@code -Dcrossl.spark.failOnce=ROUND:PARTITION}: that task throws after its steps, once per JVM. */
    static final AtomicBoolean INJECTED = new AtomicBoolean();

    static final class TrainRound implements Function<Integer, RoundOutput> {
        private final JobSpec job;
        private final Broadcast<RoundInput> input;

        TrainRound(JobSpec job, Broadcast<RoundInput> input) {
            this.job = job;
            this.input = input;
        }

        @Override
        public RoundOutput call(Integer p) {
            RoundInput in = input.value();
            ExecutorData data = ExecutorData.of(job);
            WindowDataset train = data.normalised(in.sums()).train();
            Worker w = Worker.of(job, data, "partition" + p);
            synchronized (w) {
                w.load(in);
                int parts = job.partitions();
                int[] mine = data.part(p);
                String shuffle = parts == 1 ? "shuffle/epoch" + in.epoch() : "shuffle/epoch" + in.epoch() + "/partition" + p;
                int[] perm = Shuffling.permutation(mine.length, Seeds.stream(w.config.seed(), shuffle));
                int bs = w.config.training().batchSize();
                double lossSum = 0;
                int seen = 0;
                Map<String, Double> termSums = new LinkedHashMap<>();
                for (int j = in.firstStep(); j < in.firstStep() + in.steps(); j++) {
                    int start = j * bs;
                    int end = Math.min(perm.length, start + bs);
                    int[] idx = new int[end - start];
                    for (int i = 0; i < idx.length; i++) {
                        idx[i] = mine[perm[start + i]];
                    }
                    // batch b of the epoch is step j of partition p: one partition's names are a local run's
                    int b = j * parts + p;
                    CrosslModel.StepResult r = w.step.run(train.batch(idx), in.epoch(), b, in.globalStep() + (j - in.firstStep()) + 1, null);
                    lossSum += r.loss() * idx.length;
                    int n = idx.length;
                    r.terms().forEach((k, val) -> termSums.merge(k, val * n, Double::sum));
                    seen += n;
                }
                String fail = System.getProperty("crossl.spark.failOnce");
                if (fail != null && fail.equals(in.round() + ":" + p) && INJECTED.compareAndSet(false, true)) {
                    throw new IllegalStateException("injected failure in round " + in.round() + ", partition " + p + " (crossl.spark.failOnce)");
                }
                return new RoundOutput(w.state(), lossSum, termSums, seen, 1);
            }
        }
    }

    // ---------------------------------------------------------------- validation

    /** The validation reading of an epoch: loss, its terms, and the per-dimension std of Z. */
    record Validated(double loss, Map<String, Double> terms, double[] zStdPerDim) implements Serializable {
    }

    static final class Validate implements Function<Integer, Validated> {
        private final JobSpec job;
        private final Broadcast<RoundInput> input;

        Validate(JobSpec job, Broadcast<RoundInput> input) {
            this.job = job;
            this.input = input;
        }

        @Override
        public Validated call(Integer ignored) {
            RoundInput in = input.value();
            ExecutorData data = ExecutorData.of(job);
            ExecutorData.Normalised n = data.normalised(in.sums());
            Worker w = Worker.of(job, data, "validation");
            synchronized (w) {
                w.load(in);
                Pretrainer p = new Pretrainer(w.assembled.model(), w.assembled.masker(), w.assembled.objective(), w.config.optimizer(),
                        w.config.training(), w.config.seed(), null);
                boolean hasValidation = n.validation() != null && n.validation().size() >= 2;
                Map<String, Double> terms = new LinkedHashMap<>();
                double loss = hasValidation ? p.evaluate(n.validation(), terms) : Double.NaN;
                double[] perDim = p.zSpread(hasValidation ? n.validation() : n.train());
                return new Validated(loss, terms, perDim);
            }
        }
    }

    // ---------------------------------------------------------------- the model on an executor

    /** A model, its optimiser and its step, assembled once per executor, job and role, and reloaded from each round's state. */
    static final class Worker {
        private static final Map<String, Worker> WORKERS = new ConcurrentHashMap<>();
        final ExperimentConfig config;
        final ModelAssembler.Assembled assembled;
        final List<Parameter> params;
        final Adam adam;
        final TrainingStep step;

        private Worker(JobSpec job, ExecutorData data) {
            this.config = job.config();
            this.assembled = job.assembler().assemble(config, data.splits().train().modalities(), data.loaded.resolvedSection());
            this.params = new ArrayList<>(assembled.model().namedParameters().values());
            this.adam = new Adam(config.optimizer(), params);
            this.step = new TrainingStep(assembled.model(), assembled.masker(), assembled.objective(), adam, config.seed());
        }

        static Worker of(JobSpec job, ExecutorData data, String role) {
            return WORKERS.computeIfAbsent(job.key() + "/" + role, k -> new Worker(job, data));
        }

        static void clear() {
            WORKERS.clear();
        }

        void load(RoundInput in) {
            FlatState.unflatten(in.params(), values(params));
            List<INDArray> moments = adam.state();
            FlatState.unflatten(in.m(), moments.subList(0, params.size()));
            FlatState.unflatten(in.v(), moments.subList(params.size(), moments.size()));
            adam.restore(in.adamSteps(), moments);
        }

        /** Parameters, then m, then v, end to end. */
        float[] state() {
            List<INDArray> all = new ArrayList<>(values(params));
            all.addAll(adam.state());
            return FlatState.flatten(all);
        }

        private static List<INDArray> values(List<Parameter> ps) {
            return ps.stream().map(Parameter::value).toList();
        }
    }
}
