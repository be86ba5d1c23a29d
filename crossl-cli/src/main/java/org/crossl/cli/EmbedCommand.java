package org.crossl.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crossl.core.Crossl;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.model.ModelIO;
import org.crossl.core.run.EmbedRun;
import org.crossl.core.run.PretrainRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crossl embed --model DIR --config FILE --out FILE}. */
@Command(name = "embed", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Embed every window of the config's data with a pretrained model; writes a CSV (split, index, subject, label, z0..).")
final class EmbedCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DataOptions data;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a pretrain --out directory, or its model/ directory")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV file to write; with --engine spark, a Parquet "
            + "folder (any Hadoop file system URI), replaced if it exists")
    String out;

    @Option(names = "--engine", paramLabel = "NAME", description = "spark: embed in Spark tasks that read the data themselves, writing "
            + "Parquet (split, index, subject, label, label_name, z); default: here, writing a CSV")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "with --engine spark: the Spark master (default local[*])")
    String master;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExperimentConfig cfg = data.load();
        ModelAssembler assembler = data.get(ModelAssembler.class);
        Map<String, String> options = EngineOptions.of(engine, master);
        if (engine != null && !engine.equals("local")) {
            org.crossl.core.EmbedEngine e = org.crossl.core.EmbedEngine.named(engine);
            Map<String, Integer> counts = e.embed(PretrainRun.modelDir(model), cfg, assembler, data.root().requireExists().path(), out, options);
            spec.commandLine().getOut().println("wrote " + out + " (Parquet): " + counts + " windows");
            return 0;
        }
        CrosslModel m = ModelIO.load(PretrainRun.modelDir(model), assembler);
        Map<String, Integer> counts = data.get(EmbedRun.class).run(m, cfg, data.root(), Path.of(out));
        spec.commandLine().getOut().println("wrote " + out + ": " + counts + " windows, " + m.aggregator().outputSize() + " dimensions");
        return 0;
    }
}
