package org.crossl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.crossl.core.Crossl;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.eval.EvaluateRun;
import org.crossl.core.model.ModelAssembler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crossl evaluate --config FILE --out DIR}. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run the evaluation protocol of the config's evaluation: section (arms, label fractions, seeds, missing devices); "
                + "writes results.json and results.md to --out.")
final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DataOptions data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--force", description = "replace existing results in --out")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig cfg = data.load();
        ModelAssembler assembler = Crossl.assembler().withCache(data.cache());
        var w = spec.commandLine().getOut();
        new EvaluateRun(assembler).run(cfg, data.root(), out, force, line -> {
            w.println(line);
            w.flush();
        });
        w.println("wrote " + out.resolve(EvaluateRun.RESULTS_JSON) + " and " + out.resolve(EvaluateRun.RESULTS_MD));
        w.flush();
        return 0;
    }
}
