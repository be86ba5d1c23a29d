package org.crossl.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.model.ModelAssembler;

/**
 * Writes every window of a config's data (all splits, raw, with presence, label, subject and split)
 * in another format, for tools outside this library. Found by {@link #format()} with
 * {@link ServiceLoader}: {@code crossl data --export FORMAT DIR}. The core has none built in, so
 * that no file-format library enters its dependencies (crossl-spark provides {@code parquet}).
 */
public interface WindowExporter {
    /** The name given to {@code --export}. */
    String format();

    /**
     * Reads the config's data (wherever the exporter reads it) and writes it under {@code out}.
     *
     * @param out       a folder, or any URI the exporter's file systems know ({@code hdfs://…} for Parquet)
     * @param overwrite replace what {@code out} holds; without it an existing {@code out} is an error
     * @param options   exporter options from the command line ({@code master} for Spark)
     * @return a one-line summary for the user (windows per split, where they went)
     */
    String export(ExperimentConfig config, ModelAssembler assembler, Path dataRoot, String out, boolean overwrite,
                  java.util.Map<String, String> options);

    /** The exporter for {@code format}, or an error that names the ones on the class path and where {@code parquet} lives. */
    static WindowExporter named(String format) {
        return org.crossl.core.Services.named(ServiceLoader.load(WindowExporter.class, WindowExporter.class.getClassLoader()), WindowExporter::format, "--export", format, "", List.of(), "parquet");
    }
}
