package org.example.dwconv;

import java.util.stream.Stream;
import org.crossl.testkit.Conformance;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The whole contract, checked by the CroSSL conformance kit: one line per plugin, once per way of getting the gradient. */
class DwConvConformanceTest {
    @TestFactory
    Stream<DynamicTest> conformance() {
        return Conformance.encoder(new DwConvProvider())
                .tinyConfig("{widths: [4, 5], kernel: 3}")
                .tests();
    }

    @TestFactory
    Stream<DynamicTest> conformanceWithAutodiff() {
        return Conformance.encoder(new DwConvProvider())
                .config("{backward: autodiff}")
                .tinyConfig("{widths: [4, 5], kernel: 3, backward: autodiff}")
                .tests();
    }
}
