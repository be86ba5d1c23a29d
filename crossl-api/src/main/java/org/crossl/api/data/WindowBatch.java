package org.crossl.api.data;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch of B windows: one array per modality and a presence mask.
 *
 * <p>Shapes: {@code inputs.get(m)} is {@code [B, T_m, C_m]} (time-major, channels last, "NWC");
 * modalities may have different lengths T_m when their sampling rates differ. {@code presence} is
 * {@code [B, M]} with 1 where modality m of sample b was recorded and 0 where it is absent (sensor
 * off, file missing, known-faulty). The input values of an absent modality are ignored (zeros by
 * convention). {@code labels[b]} is a class index or {@link #UNLABELLED}.
 */
public record WindowBatch(List<ModalitySpec> modalities, List<INDArray> inputs, INDArray presence, int[] labels) {

    /** Label value of a window without a single activity over its whole length. */
    public static final int UNLABELLED = -1;

    public WindowBatch {
        modalities = List.copyOf(modalities);
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(presence, "presence");
        if (modalities.size() != inputs.size()) {
            throw new IllegalArgumentException("batch has " + modalities.size() + " modalities but " + inputs.size() + " input arrays");
        }
        long b = presence.size(0);
        if (presence.rank() != 2 || presence.size(1) != modalities.size()) {
            throw new IllegalArgumentException("presence must be [B, " + modalities.size() + "], got " + java.util.Arrays.toString(presence.shape()));
        }
        for (int m = 0; m < inputs.size(); m++) {
            INDArray x = inputs.get(m);
            if (x.rank() != 3 || x.size(0) != b || x.size(2) != modalities.get(m).channels()) {
                throw new IllegalArgumentException("input of modality '" + modalities.get(m).name() + "' must be [" + b + ", T, "
                        + modalities.get(m).channels() + "], got " + java.util.Arrays.toString(x.shape()));
            }
        }
        if (labels != null && labels.length != b) {
            throw new IllegalArgumentException("batch has " + b + " windows but " + labels.length + " labels");
        }
    }

    /** Number of windows B. */
    public int size() {
        return (int) presence.size(0);
    }
}
