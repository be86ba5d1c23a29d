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

    @Option(names = "--engine", paramLabel = "NAME", description = "spark: compute the pretrainings, then the heads (arms × seeds × "
            + "fractions) as Spark tasks, each reading the data itself; the report is then written here, with the numbers the local "
            + "command gives. The progress folder under --out must be on a file system every executor sees")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "with --engine spark: the Spark master (default local[*])")
    String master;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig cfg = data.load();
        ModelAssembler assembler = data.get(ModelAssembler.class);
        var w = spec.commandLine().getOut();
        Map<String, String> options = EngineOptions.of(engine, master);
        EvaluateRun.UnitRunner runner = null;
        if (engine != null && !engine.equals("local")) {
            org.crossl.eval.EvaluationEngine e = org.crossl.eval.EvaluationEngine.named(engine);
            runner = (c, root, home, units) -> e.run(c, assembler, root, home, units, options);
        }
        EvaluateRun.UnitRunner unitRunner = runner;
        List<Sweep.Run> runs = Sweep.expand(cfg);
        Map<String, List<EvaluateRun.Record>> all = new LinkedHashMap<>();
        for (Sweep.Run run : runs) {
            Path dir = runs.size() == 1 ? out : out.resolve(run.label().replaceAll("[^A-Za-z0-9._=,-]", "_"));
            if (runs.size() > 1) {
                w.println("== sweep run " + run.label() + " -> " + dir);
            }
            // a sweep's runs share one progress folder: what two combinations have in common is computed once
            all.put(run.label(), data.get(EvaluateRun.class).run(run.config(), data.root(), dir, out, force, fresh && run == runs.get(0), line -> {
                w.println(line);
                w.flush();
            }, unitRunner));
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
