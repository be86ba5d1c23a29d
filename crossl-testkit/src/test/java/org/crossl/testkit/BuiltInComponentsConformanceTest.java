package org.crossl.testkit;

import java.util.stream.Stream;
import org.crossl.aggregators.AttentionProvider;
import org.crossl.aggregators.MeanProvider;
import org.crossl.aggregators.MlpProvider;
import org.crossl.encoders.cnn.TcnProvider;
import org.crossl.encoders.transformer.TransformerProvider;
import org.crossl.losses.BarlowProvider;
import org.crossl.losses.SimClrProvider;
import org.crossl.losses.VicRegProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every built-in encoder, aggregator and objective passes the kit, with its defaults and with a non-default config. */
class BuiltInComponentsConformanceTest {
    @TestFactory
    Stream<DynamicTest> tcn() {
        return Conformance.encoder(new TcnProvider()).tinyConfig("{codeSize: 6, widths: [4, 6], kernels: [4, 3]}").tests();
    }

    @TestFactory
    Stream<DynamicTest> transformer() {
        return Conformance.encoder(new TransformerProvider()).lengths(32, 50, 128)
                .tinyConfig("{codeSize: 6, width: 8, heads: 2, depth: 2, patchLength: 2, dropout: 0.2}").tinyLength(9).tests();
    }

    @TestFactory
    Stream<DynamicTest> mlp() {
        // the reference MLP reads hidden modalities as zeros, so it does not declare ignoresHidden()
        return Conformance.aggregator(new MlpProvider()).tinyConfig("{hidden: [5], output: 3}").tests();
    }

    @TestFactory
    Stream<DynamicTest> attention() {
        return Conformance.aggregator(new AttentionProvider()).ignoresHidden().config("{heads: 4}")
                .tinyConfig("{heads: 2, depth: 1, output: 3, dropout: 0.1}").tests();
    }

    @TestFactory
    Stream<DynamicTest> mean() {
        return Stream.concat(Conformance.aggregator(new MeanProvider()).ignoresHidden().tests(),
                Conformance.aggregator(new MeanProvider()).ignoresHidden().config("{output: 5}").tests());
    }

    @TestFactory
    Stream<DynamicTest> barlow() {
        return Stream.concat(Conformance.objective(new BarlowProvider()).tests(),
                Conformance.objective(new BarlowProvider()).config("{lambda: 0.1, scale: 0.5}").tests());
    }

    @TestFactory
    Stream<DynamicTest> vicreg() {
        return Stream.concat(Conformance.objective(new VicRegProvider()).tests(),
                Conformance.objective(new VicRegProvider()).config("{preset: paper}").tests());
    }

    @TestFactory
    Stream<DynamicTest> simclr() {
        return Stream.concat(Conformance.objective(new SimClrProvider()).tests(),
                Conformance.objective(new SimClrProvider()).config("{temperature: 0.5}").tests());
    }
}
