/**
 * CroSSL core: plugin registry (ServiceLoader → Guice), model assembly from a config, the built-in
 * maskers, the pretraining loop, model files and run records, and the one-call facade
 * ({@link org.crossl.core.CrosslTrainer}, {@link org.crossl.core.PretrainedModel}).
 */
module org.crossl.core {
    requires transitive org.crossl.api;
    requires org.crossl.nn;
    requires transitive com.google.guice;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.slf4j;

    exports org.crossl.core;
    exports org.crossl.core.config;
    exports org.crossl.core.data;
    exports org.crossl.core.masking;
    exports org.crossl.core.model;
    exports org.crossl.core.registry;
    exports org.crossl.core.train;
    // The CLI's run directories, its benchmark and the pretraining run's probe hook: not a library API.
    exports org.crossl.core.run to org.crossl.cli, org.crossl.eval;
    exports org.crossl.core.bench to org.crossl.cli, com.fasterxml.jackson.databind; // the soak's record is written as JSON

    // Guice and Jackson reach these reflectively.
    opens org.crossl.core.config to com.fasterxml.jackson.databind;
    opens org.crossl.core.data to com.fasterxml.jackson.databind;
    opens org.crossl.core.masking to com.fasterxml.jackson.databind;
    opens org.crossl.core.registry to com.google.guice;
    opens org.crossl.core.model to com.google.guice;
    opens org.crossl.core.run to com.google.guice;

    uses org.crossl.api.spi.EncoderProvider;
    uses org.crossl.api.spi.MaskerProvider;
    uses org.crossl.api.spi.AggregatorProvider;
    uses org.crossl.api.spi.ObjectiveProvider;
    uses org.crossl.api.spi.DatasetProvider;
    uses org.crossl.core.registry.PluginBindings;
    uses org.crossl.core.PretrainEngine;
    uses org.crossl.core.EmbedEngine;
    uses org.crossl.core.data.WindowExporter;

    provides org.crossl.api.spi.MaskerProvider with
            org.crossl.core.masking.MaskerProviders.Random,
            org.crossl.core.masking.MaskerProviders.Spatial,
            org.crossl.core.masking.MaskerProviders.Temporal;
}
