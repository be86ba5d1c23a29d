package org.crossl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crossl.core.Crossl;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Sweep;
import org.crossl.core.model.ModelAssembler;
import org.crossl.eval.EvaluateRun;
import org.crossl.eval.EvaluationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code crossl evaluate --config FILE --out DIR}. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run the evaluation protocol of the config's evaluation: section (arms, label fractions, seeds, missing devices); "
                + "writes results.json and results.md to --out; a sweep: section runs every combination into its own folder and adds sweep.md.")
final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DataOptions data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--force", description = "replace existing results in --out")
    boolean force;

    @Option(names = "--fresh", description = "recompute everything: ignore and delete the finished pretrainings and records an earlier, "
            + "interrupted run kept in --out/progress (by default those made under the same config are reused)")
    boolean fresh;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig cfg = data.load();
        ModelAssembler assembler = Crossl.assembler().withCache(data.cache());
        var w = spec.commandLine().getOut();
        List<Sweep.Run> runs = Sweep.expand(cfg);
        Map<String, List<EvaluateRun.Record>> all = new LinkedHashMap<>();
        for (Sweep.Run run : runs) {
            Path dir = runs.size() == 1 ? out : out.resolve(run.label().replaceAll("[^A-Za-z0-9._=,-]", "_"));
            if (runs.size() > 1) {
                w.println("== sweep run " + run.label() + " -> " + dir);
            }
            // a sweep's runs share one progress folder: what two combinations have in common is computed once
            all.put(run.label(), new EvaluateRun(assembler).run(run.config(), data.root(), dir, out, force, fresh && run == runs.get(0), line -> {
                w.println(line);
                w.flush();
            }));
            w.println();
            w.print(EvaluationReport.terminalSummary(all.get(run.label())));
            w.println("wrote " + dir.resolve(EvaluateRun.RESULTS_JSON) + " and " + dir.resolve(EvaluateRun.RESULTS_MD));
        }
        if (runs.size() > 1) {
            Path table = out.resolve("sweep.md");
            Files.writeString(table, EvaluationReport.sweepTable(cfg.source(), all));
            w.println("wrote " + table);
        }
        w.flush();
        return 0;
    }
}
