package org.crossl.spark;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.data.Normalizer;
import org.crossl.core.model.ModelAssembler;

/**
 * The run's windows as one executor sees them: read there by the config's dataset reader from the
 * data root (local files in local mode, a path every executor mounts on a cluster), through the
 * dataset cache when there is one, once per executor JVM and job. The driver never holds them.
 *
 * <p>Training windows are cut into {@link JobSpec#partitions()} parts by subject: subjects in
 * ascending id order are dealt to the parts in turn, so each part holds whole subjects and several
 * of them (each part's batches mix the subjects in it). With fewer subjects than parts, windows are
 * dealt in turn instead.
 */
final class ExecutorData {
    private static final Map<String, ExecutorData> LOADED = new ConcurrentHashMap<>();

    final ModelAssembler.LoadedData loaded;
    private final int[][] parts;
    final boolean bySubject;
    private volatile Normalised normalised;

    /** The normalised splits (the raw ones when the config says {@code normalize: false}). */
    record Normalised(Normalizer normalizer, WindowDataset train, WindowDataset validation) {
    }

    private ExecutorData(ModelAssembler.LoadedData loaded, int partitions) {
        this.loaded = loaded;
        int[] subjects = loaded.splits().train().subjects();
        int[] distinct = Arrays.stream(subjects).distinct().sorted().toArray();
        this.bySubject = distinct.length >= partitions;
        Map<Integer, Integer> partOf = new TreeMap<>();
        for (int i = 0; i < distinct.length; i++) {
            partOf.put(distinct[i], i % partitions);
        }
        int[] count = new int[partitions];
        int[] assigned = new int[subjects.length];
        for (int i = 0; i < subjects.length; i++) {
            assigned[i] = bySubject ? partOf.get(subjects[i]) : i % partitions;
            count[assigned[i]]++;
        }
        parts = new int[partitions][];
        for (int p = 0; p < partitions; p++) {
            parts[p] = new int[count[p]];
        }
        int[] fill = new int[partitions];
        for (int i = 0; i < subjects.length; i++) {
            parts[assigned[i]][fill[assigned[i]]++] = i;
        }
    }

    static ExecutorData of(JobSpec job) {
        return LOADED.computeIfAbsent(job.key(), k -> {
            ExperimentConfig config = job.config();
            ModelAssembler.LoadedData loaded = job.assembler().loadData(config, java.nio.file.Path.of(job.dataRoot()));
            return new ExecutorData(loaded, job.partitions());
        });
    }

    /** Forgets every job's windows (tests; an executor keeps them until its JVM ends). */
    static void clear() {
        LOADED.clear();
    }

    DataSplits splits() {
        return loaded.splits();
    }

    /** The indices, in the training split, of partition {@code p}'s windows (ascending). */
    int[] part(int p) {
        return parts[p];
    }

    /** The normaliser's sums over partition {@code p}'s raw training windows. */
    Normalizer.Sums sums(int p) {
        return Normalizer.Sums.of(splits().train(), parts.length == 1 ? null : parts[p]);
    }

    /** The splits normalised with {@code sums}' statistics, computed once per executor. */
    Normalised normalised(Normalizer.Sums sums) {
        Normalised n = normalised;
        if (n == null) {
            synchronized (this) {
                if (normalised == null) {
                    Normalizer norm = sums == null ? null : sums.normalizer();
                    DataSplits s = splits();
                    normalised = norm == null ? new Normalised(null, s.train(), s.validation())
                            : new Normalised(norm, norm.apply(s.train()), norm.apply(s.validation()));
                }
                n = normalised;
            }
        }
        return n;
    }
}
