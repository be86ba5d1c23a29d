package org.crossl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.crossl.core.Crossl;
import org.crossl.core.config.ConfigError;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.run.PretrainRun;
import org.crossl.eval.heads.LinearProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code crossl pretrain --config FILE --out DIR}. */
@Command(name = "pretrain", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Pretrain encoders and aggregator without labels; writes model/, run.json, metrics.csv, config.yaml to --out.")
final class PretrainCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DataOptions data;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory of the run")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "continue the killed or failed run in DIR from its newest complete "
            + "checkpoint, with the config and data it started with; it ends where an uninterrupted run would have")
    Path resume;

    @Option(names = "--force", description = "replace an existing run in --out")
    boolean force;

    @Option(names = "--quiet", description = "no progress bar (epoch lines are still printed)")
    boolean quiet;

    @Option(names = "--memory-every", paramLabel = "N", defaultValue = "50",
            description = "write this process's memory to memory.csv every N steps (default ${DEFAULT-VALUE}; 0: off)")
    int memoryEvery;

    @Option(names = "--engine", paramLabel = "NAME", description = "where the training steps run: local (this JVM, the default) or spark "
            + "(crossl-spark: parameter averaging on Apache Spark; see the README); on --resume, the run's own engine by default")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "with --engine spark: the Spark master (default local[*], embedded; "
            + "spark://host:7077, yarn, k8s://… on a cluster)")
    String master;

    @Option(names = "--no-probe", description = "skip the linear probe on frozen Z (needs labelled train and test windows)")
    boolean noProbe;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var outW = spec.commandLine().getOut();
        var errW = spec.commandLine().getErr();
        boolean interactive = !quiet && System.console() != null;
        List<String> cmd = new ArrayList<>(List.of("crossl"));
        cmd.addAll(spec.commandLine().getParseResult().originalArgs());
        PretrainRun.Outcome o;
        java.util.Map<String, String> engineOptions = EngineOptions.of(engine, master);
        if (resume != null) {
            if (data.config != null || data.preset != null || !data.overrides.isEmpty()) {
                throw new ConfigError("--resume continues with the run's own config (from its run.json); do not give --config, --preset or --set");
            }
            if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
                throw new ConfigError("--resume " + resume + " continues the run in that directory; leave out --out");
            }
            out = resume;
            outW.printf(Locale.ROOT, "resuming the run in %s%n", resume);
            o = data.get(PretrainRun.class).withMemoryEvery(memoryEvery).withEngine(engine, engineOptions).resume(resume, data.dataRoot != null ? data.root() : null, cmd,
                    new Progress(outW, errW, interactive), noProbe ? null : LinearProbe::reading);
        } else {
            if (out == null) {
                throw new ConfigError("give --out DIR for a new run, or --resume DIR to continue one");
            }
            ExperimentConfig cfg = data.load();
            outW.printf(Locale.ROOT, "config: %s (seed %d), data root: %s%n", cfg.source(), cfg.seed(), data.root().path());
            o = data.get(PretrainRun.class).withMemoryEvery(memoryEvery).withEngine(engine, engineOptions).run(cfg, data.root(), out, force, cmd, new Progress(outW, errW, interactive), noProbe ? null : LinearProbe::reading);
        }
        outW.printf(Locale.ROOT, "wrote %s (model), %s, %s%n", o.modelDir(), out.resolve(PretrainRun.RUN_FILE), out.resolve(PretrainRun.METRICS_FILE));
        return 0;
    }
}
