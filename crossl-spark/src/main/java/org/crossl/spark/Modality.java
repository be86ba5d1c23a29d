package org.crossl.spark;

import java.io.Serializable;
import java.util.List;
import org.crossl.api.data.ModalitySpec;

/** A {@link ModalitySpec} as it travels from an executor to the driver. */
record Modality(String name, List<String> channels, double rateHz, String device) implements Serializable {
    static Modality of(ModalitySpec s) {
        return new Modality(s.name(), new java.util.ArrayList<>(s.channelNames()), s.samplingRateHz(), s.device());
    }

    ModalitySpec spec() {
        return new ModalitySpec(name, channels, rateHz, device);
    }
}
