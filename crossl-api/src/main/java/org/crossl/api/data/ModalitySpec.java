package org.crossl.api.data;

import java.util.List;
import java.util.Objects;

/**
 * One sensor stream of a multimodal recording: an accelerometer on the right foot, a chest ECG…
 *
 * @param name          unique name of the modality within a dataset, used as the key in configs
 *                      (for example {@code rf_acc})
 * @param channelNames  the channels in array order; {@code channels() == channelNames.size()}
 * @param samplingRateHz samples per second of this stream (windows of equal duration hold
 *                      {@code round(duration * rate)} samples)
 * @param device        the device or body position that carries the sensor ({@code right_foot});
 *                      all modalities of one device disappear together when the device is absent
 */
public record ModalitySpec(String name, List<String> channelNames, double samplingRateHz, String device) {

    public ModalitySpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("modality name must not be blank");
        }
        channelNames = List.copyOf(channelNames);
        if (channelNames.isEmpty()) {
            throw new IllegalArgumentException("modality '" + name + "' has no channels");
        }
        if (!(samplingRateHz > 0) || Double.isInfinite(samplingRateHz)) {
            throw new IllegalArgumentException("modality '" + name + "' needs a positive sampling rate, got " + samplingRateHz);
        }
        device = device == null || device.isBlank() ? name : device;
    }

    /** Number of channels C_m. */
    public int channels() {
        return channelNames.size();
    }
}
