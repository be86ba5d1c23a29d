package org.crossl.core.train;

import java.util.ArrayList;
import java.util.List;
import org.crossl.api.nn.Parameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Copies of parameter values, to restore the best epoch after early stopping. */
public final class ParameterSnapshot {
    private ParameterSnapshot() {
    }

    /** Detached copies of every parameter's value (outside any workspace). */
    public static List<INDArray> take(List<Parameter> params) {
        List<INDArray> out = new ArrayList<>(params.size());
        try (var ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (Parameter p : params) {
                out.add(p.value().dup());
            }
        }
        return out;
    }

    /** Writes {@code values} back into the parameters, in order. */
    public static void restore(List<Parameter> params, List<INDArray> values) {
        for (int i = 0; i < params.size(); i++) {
            params.get(i).value().assign(values.get(i));
        }
    }
}
