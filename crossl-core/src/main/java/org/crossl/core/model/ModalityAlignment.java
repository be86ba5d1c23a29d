package org.crossl.core.model;

import java.util.ArrayList;
import java.util.List;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.data.WindowStore;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lays data out in a model's modalities: data from fewer sensors than the model was pretrained on
 * (a deployment with the chest strap only, say) gets the missing modalities as absent (presence 0,
 * windows of zeros that nothing reads), which is how the model saw dropped sensors in pretraining.
 * A missing modality's window length follows the window's duration in the present ones and the
 * missing one's sampling rate.
 */
public final class ModalityAlignment {
    private ModalityAlignment() {
    }

    /**
     * {@code data} with exactly {@code model}'s modalities, in order.
     *
     * @throws IllegalArgumentException when the data has a modality the model does not know, one
     *                                  with other channels, or none of the model's
     */
    public static WindowDataset toModel(List<ModalitySpec> model, WindowDataset data) {
        List<String> have = data.modalities().stream().map(ModalitySpec::name).toList();
        List<String> want = model.stream().map(ModalitySpec::name).toList();
        for (String h : have) {
            if (!want.contains(h)) {
                throw new IllegalArgumentException("the data has a modality '" + h + "' that the model does not know; the model's modalities are " + want);
            }
        }
        if (have.equals(want)) {
            for (int m = 0; m < model.size(); m++) {
                checkChannels(model.get(m), data.modalities().get(m));
            }
            return data;
        }
        if (have.isEmpty()) {
            throw new IllegalArgumentException("the data has none of the model's modalities " + want);
        }
        // the window's duration, from the first present modality
        ModalitySpec ref = data.modalities().get(0);
        double seconds = data.length(0) / ref.samplingRateHz();
        int n = data.size();
        List<WindowStore> stores = new ArrayList<>();
        INDArray presence = Nd4j.zeros(DataType.FLOAT, n, model.size());
        for (int m = 0; m < model.size(); m++) {
            ModalitySpec spec = model.get(m);
            int j = have.indexOf(spec.name());
            if (j >= 0) {
                checkChannels(spec, data.modalities().get(j));
                stores.add(data.store(j));
                if (n > 0) {
                    presence.getColumn(m).assign(data.presence().getColumn(j));
                }
            } else {
                stores.add(new Absent(n, Math.max(1, (int) Math.round(seconds * spec.samplingRateHz())), spec.channels()));
            }
        }
        return WindowDataset.ofStores(model, stores, presence, data.labels(), data.subjects(), data.classNames());
    }

    private static void checkChannels(ModalitySpec model, ModalitySpec data) {
        if (model.channels() != data.channels()) {
            throw new IllegalArgumentException("modality '" + model.name() + "' has " + data.channels() + " channels in the data but "
                    + model.channels() + " in the model");
        }
    }

    /** Windows of zeros for a modality the data does not have; nothing is stored. */
    private record Absent(int windows, int length, int channels) implements WindowStore {
        @Override
        public void read(int i, float[] dst, int offset) {
            java.util.Arrays.fill(dst, offset, offset + length * channels, 0f);
        }

        @Override
        public boolean inMemory() {
            return false;
        }
    }
}
