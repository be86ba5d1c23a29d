package org.crossl.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.Function;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.data.DataRoot;
import org.crossl.eval.EvaluateRun;
import org.crossl.eval.EvaluationEngine;

/**
 * {@code crossl evaluate --engine spark}: an evaluation's units as Spark tasks, one unit each: first
 * every pending pretraining (each writes its model into the progress folder, which must be on a
 * file system every executor sees), then every pending record (each fits and scores its head on
 * the pretrained model it reads back, and returns the record to the driver, the one writer of
 * {@code records.jsonl}). A task runs the same code as the local command, so the records are the
 * ones the local command computes; a retried task recomputes its unit from the same seeds.
 */
public final class SparkEvaluation implements EvaluationEngine {

    @Override
    public String name() {
        return SparkEngine.NAME;
    }

    @Override
    public Map<String, String> run(ExperimentConfig config, org.crossl.core.model.ModelAssembler assembler, DataRoot root, Path progressHome,
                                   List<String> units, Map<String, String> options) {
        try (SparkJobs.Session session = SparkJobs.open("crossl evaluate", options)) {
            JobSpec job = SparkJobs.job(config, assembler, root.path(), 1);
            List<Map<String, String>> out;
            try {
                out = session.sc.parallelize(units, units.size()).map(new Unit(job, progressHome.toAbsolutePath().toString())).collect();
            } catch (RuntimeException e) {
                throw SparkErrors.unwrap(e, "an evaluation unit", null);
            }
            Map<String, String> all = new LinkedHashMap<>();
            out.forEach(all::putAll);
            return all;
        }
    }

    static final class Unit implements Function<String, Map<String, String>> {
        private final JobSpec job;
        private final String progressHome;

        Unit(JobSpec job, String progressHome) {
            this.job = job;
            this.progressHome = progressHome;
        }

        @Override
        public Map<String, String> call(String unit) throws Exception {
            return new LinkedHashMap<>(new EvaluateRun(job.assembler()).computeUnits(job.config(),
                    new DataRoot(Path.of(job.dataRoot()), "the driver's data root"), Path.of(progressHome), Set.of(unit)));
        }
    }
}
