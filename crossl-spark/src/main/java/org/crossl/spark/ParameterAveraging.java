package org.crossl.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.crossl.api.nn.Parameter;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.data.Normalizer;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.train.Adam;
import org.crossl.core.train.Checkpoints;
import org.crossl.core.train.EpochLedger;
import org.crossl.core.train.EpochMetrics;
import org.crossl.core.train.ParameterSnapshot;
import org.crossl.core.train.PretrainResult;
import org.crossl.core.train.Pretrainer;
import org.crossl.core.train.TrainingListener;
import org.crossl.core.train.TrainingState;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The driver's loop: rounds of K local steps on every partition, then the average of the tasks'
 * parameters and Adam moments (Spark MLlib's broadcast / compute / {@code treeAggregate} pattern;
 * K = 1 is synchronous averaging, K > 1 DL4J's parameter averaging). Epochs, validation, early
 * stopping, the best epoch and checkpoints are the local loop's ({@link EpochLedger}); with one
 * partition, every step, random draw and update is the local run's, whatever K.
 *
 * <p>An epoch is {@code min over partitions of ⌈n_p / batchSize⌉} steps per partition (a last
 * batch of fewer than 2 windows is skipped, as locally), so every task of a round takes the same
 * number of steps; the larger partitions' surplus windows of that epoch's order are left out, and
 * a different surplus each epoch.
 */
final class ParameterAveraging {
    private final SparkJobs.Session spark;
    private final JavaSparkContext sc;
    private final JobSpec job;
    private final ExperimentConfig config;
    private final CrosslModel model;
    private final Normalizer.Sums sums;
    private final int[] partitionWindows;
    private final int localSteps;
    private final int validationWindows;

    ParameterAveraging(SparkJobs.Session spark, JobSpec job, ExperimentConfig config, CrosslModel model, Normalizer.Sums sums, int[] partitionWindows,
                       int localSteps, int validationWindows) {
        this.spark = spark;
        this.sc = spark.sc;
        this.job = job;
        this.config = config;
        this.model = model;
        this.sums = sums;
        this.partitionWindows = partitionWindows;
        this.localSteps = localSteps;
        this.validationWindows = validationWindows;
    }

    /** Steps each partition takes per epoch. */
    int stepsPerEpoch() {
        int s = Integer.MAX_VALUE;
        for (int n : partitionWindows) {
            s = Math.min(s, Pretrainer.countBatches(n, config.training().batchSize()));
        }
        return s;
    }

    PretrainResult fit(TrainingListener listener, Checkpoints checkpoints) throws IOException {
        int parts = partitionWindows.length;
        int steps = stepsPerEpoch();
        for (int p = 0; p < parts; p++) {
            if (Pretrainer.countBatches(partitionWindows[p], config.training().batchSize()) == 0) {
                throw new IllegalArgumentException("training partition " + p + " holds " + partitionWindows[p] + " windows, fewer than the 2 a "
                        + "batch needs; lower spark.partitions (now " + parts + ")");
            }
        }
        int total = java.util.Arrays.stream(partitionWindows).sum();
        listener.onStart(config.training().epochs(), steps, total, validationWindows >= 2 ? validationWindows : 0);
        Map<String, Parameter> named = model.namedParameters();
        List<Parameter> params = new ArrayList<>(named.values());
        Adam adam = new Adam(config.optimizer(), params);
        List<INDArray> best = ParameterSnapshot.take(params);
        Checkpoints.Start resumeFrom = Checkpoints.start(checkpoints, named, adam, best, listener);
        TrainingState st = resumeFrom.state();
        String lastCheckpoint = resumeFrom.from();
        EpochLedger ledger = new EpochLedger(config.training(), validationWindows >= 2, st, best);
        long globalStep = st.globalStep();
        long round = 0;
        long t0 = System.nanoTime() - (long) (st.elapsedSeconds() * 1e9);
        JavaRDD<Integer> tasks = spark.tasks(parts);
        JavaRDD<Integer> one = spark.tasks(1);
        int every = checkpoints == null ? 0 : checkpoints.everySteps();

        for (int epoch = st.epoch(); ledger.stopReason() == null && epoch <= config.training().epochs(); epoch++) {
            boolean resumedEpoch = epoch == st.epoch();
            long e0 = System.nanoTime() - (resumedEpoch ? (long) (st.epochSeconds() * 1e9) : 0);
            Map<String, Double> termSums = new LinkedHashMap<>(resumedEpoch ? st.termSums() : Map.of());
            double lossSum = resumedEpoch ? st.lossSum() : 0;
            int seen = resumedEpoch ? st.seen() : 0;
            for (int j = resumedEpoch ? st.nextBatch() : 0; j < steps; ) {
                int k = Math.min(localSteps, steps - j);
                Tasks.RoundInput in = roundInput(params, adam, epoch, j, k, globalStep, round++);
                Broadcast<Tasks.RoundInput> bc = sc.broadcast(in);
                Tasks.RoundOutput out;
                try {
                    out = tasks.map(new Tasks.TrainRound(job, bc)).treeAggregate(Tasks.RoundOutput.empty(), Tasks.RoundOutput::plus,
                            Tasks.RoundOutput::plus);
                } catch (RuntimeException e) {
                    throw SparkErrors.unwrap(e, "round " + round + " of epoch " + epoch, lastCheckpoint);
                } finally {
                    bc.destroy();
                }
                average(out, params, adam, in.adamSteps() + k);
                globalStep += k;
                lossSum += out.lossSum();
                out.termSums().forEach((key, v) -> termSums.merge(key, v, Double::sum));
                seen += out.seen();
                j += k;
                listener.onBatch(epoch, j, steps, out.lossSum() / out.seen());
                if (every > 0 && globalStep / every > (globalStep - k) / every && j < steps) {
                    TrainingState mid = ledger.midEpoch(epoch, j, globalStep, lossSum, seen, termSums, (System.nanoTime() - t0) / 1e9,
                            (System.nanoTime() - e0) / 1e9);
                    lastCheckpoint = checkpoints.save(mid, named, adam, ledger.best(), false).toString();
                }
            }
            Broadcast<Tasks.RoundInput> bc = sc.broadcast(roundInput(params, adam, epoch, 0, 0, globalStep, -1));
            Tasks.Validated v;
            try {
                v = one.map(new Tasks.Validate(job, bc)).collect().get(0);
            } catch (RuntimeException e) {
                throw SparkErrors.unwrap(e, "the validation of epoch " + epoch, lastCheckpoint);
            } finally {
                bc.destroy();
            }
            EpochMetrics em = ledger.close(epoch, lossSum, termSums, seen, v.loss(), new LinkedHashMap<>(v.terms()), v.zStdPerDim(),
                    (System.nanoTime() - e0) / 1e9, params, listener);
            if (checkpoints != null) {
                lastCheckpoint = checkpoints.save(ledger.endOfEpoch(epoch, globalStep, (System.nanoTime() - t0) / 1e9), named, adam,
                        ledger.best(), em.improved()).toString();
            }
        }
        return ledger.finish(params, t0, listener);
    }

    private Tasks.RoundInput roundInput(List<Parameter> params, Adam adam, int epoch, int first, int k, long globalStep, long round) {
        List<INDArray> moments = adam.state();
        return new Tasks.RoundInput(FlatState.flatten(params.stream().map(Parameter::value).toList()),
                FlatState.flatten(moments.subList(0, params.size())), FlatState.flatten(moments.subList(params.size(), moments.size())),
                adam.steps(), epoch, first, k, globalStep, round, sums);
    }

    /** Divides the round's sums by the number of tasks into the driver's parameters and Adam's moments. */
    private static void average(Tasks.RoundOutput out, List<Parameter> params, Adam adam, long adamSteps) {
        int n = out.state().length / 3;
        float[] p = new float[n];
        float[] m = new float[n];
        float[] v = new float[n];
        double t = out.tasks();
        for (int i = 0; i < n; i++) {
            p[i] = (float) (out.state()[i] / t);
            m[i] = (float) (out.state()[n + i] / t);
            v[i] = (float) (out.state()[2 * n + i] / t);
        }
        FlatState.unflatten(p, params.stream().map(Parameter::value).toList());
        List<INDArray> moments = adam.state();
        FlatState.unflatten(m, moments.subList(0, params.size()));
        FlatState.unflatten(v, moments.subList(params.size(), moments.size()));
        adam.restore(adamSteps, moments);
    }
}
