package org.crossl.nn.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Layer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.NoOpMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A layer whose author writes only the forward pass, as SameDiff ops; SameDiff's automatic
 * differentiation supplies the backward (the forward-only path for plugin authors, like DL4J's
 * {@code SameDiffLayer.defineLayer} or a DJL block).
 *
 * <pre>
 * Layer block = SameDiffLayer.of(List.of(weight, bias), (sd, x, p) -> {
 *     long[] s = x.getShape();                                   // [B, T, C], known: one graph per shape
 *     SDVariable y = x.reshape(s[0] * s[1], s[2]).mmul(p.get(0)).add(p.get(1));
 *     return sd.nn().relu(y, 0).reshape(s[0], s[1], -1);
 * });
 * </pre>
 *
 * <p>The definition sees {@code x} as a variable of the input's exact shape and the parameters
 * as SameDiff variables that hold the {@link Parameter}s' own arrays, so an optimiser that updates
 * them in place is seen by the graph. The graph is built once per input shape (training sees two:
 * the batch and an epoch's last, smaller batch) in the parameters' data type; inputs are cast to it.
 *
 * <p>Backward: with the upstream gradient {@code g} as a second placeholder, SameDiff differentiates
 * {@code L = Σ y ⊙ g}, so {@code dL/dθ} and {@code dL/dx} are exactly the vector–Jacobian products
 * a hand-written backward returns; parameter gradients are added into {@link Parameter#grad()}.
 * The cost: SameDiff runs the forward again inside the backward, and every call crosses its graph
 * executor. Measured against the hand-written example encoder in {@code docs/writing-a-plugin.md}.
 *
 * <p>What the definition must not do: draw random numbers (dropout, noise) — a graph is fixed, so
 * compose this layer with {@link org.crossl.nn.Dropout}, which draws from the {@link Pass}; and use
 * ops whose gradient SameDiff 1.0.0-M2.1 gets wrong (see {@code ../shared/docs/nd4j-notes.md}:
 * {@code variance}, {@code prelu} with shared axes, {@code dropout}; {@code tensorMmul}'s backward fails
 * for a rank-3 by rank-2 product: reshape to a matrix product instead). The conformance kit's float64
 * gradient check catches such mistakes, as it does for a hand-written backward.
 *
 * <p>Graphs are built outside any ND4J workspace and run inside the caller's, with SameDiff's array
 * cache off, so a step's intermediates are freed with the step; one layer is used by one thread at
 * a time, like the rest of a model.
 */
public final class SameDiffLayer implements Layer {
    /** The forward pass as SameDiff ops. */
    @FunctionalInterface
    public interface Definition {
        /**
         * @param sd         the graph to add ops to
         * @param x          the input placeholder, of the input's shape
         * @param parameters the parameters as variables, in the order given to {@link #of}
         * @return the output y
         */
        SDVariable define(SameDiff sd, SDVariable x, List<SDVariable> parameters);
    }

    private static final String INPUT = "x";
    private static final String UPSTREAM = "upstream";

    private final List<Parameter> parameters;
    private final Definition definition;
    private final Map<List<Long>, Graph> graphs = new HashMap<>();

    private SameDiffLayer(List<Parameter> parameters, Definition definition) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("a SameDiff layer needs at least one parameter (its data type is theirs)");
        }
        DataType type = parameters.get(0).value().dataType();
        for (Parameter p : parameters) {
            if (p.value().dataType() != type) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' is " + p.value().dataType() + " but '"
                        + parameters.get(0).name() + "' is " + type + "; build every parameter in the type the provider is given");
            }
        }
        this.parameters = List.copyOf(parameters);
        this.definition = definition;
    }

    /** A layer over {@code parameters} whose forward is {@code definition}. */
    public static SameDiffLayer of(List<Parameter> parameters, Definition definition) {
        return new SameDiffLayer(parameters, definition);
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Forward forward(INDArray input, Pass pass) {
        INDArray x = input.castTo(parameters.get(0).value().dataType());
        Graph graph;
        try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            graph = graphs.computeIfAbsent(Arrays.stream(x.shape()).boxed().toList(), s -> new Graph(x.shape(), x.dataType()));
        }
        INDArray y = graph.output(x);
        return Forward.of(y, g -> graph.backward(x, g));
    }

    /** One input shape's graph. */
    private final class Graph {
        private final SameDiff sd = SameDiff.create();
        private final String output;
        private final List<String> names = new ArrayList<>();
        private boolean differentiable;

        Graph(long[] shape, DataType type) {
            // a variable, not a placeholder: SameDiff 1.0.0-M2.1 returns no gradient for a placeholder behind a reshape
            SDVariable x = sd.var(INPUT, Nd4j.zeros(type, shape));
            List<SDVariable> vars = new ArrayList<>();
            for (int i = 0; i < parameters.size(); i++) {
                String name = "p" + i;
                names.add(name);
                vars.add(sd.var(name, parameters.get(i).value()));
            }
            SDVariable y = definition.define(sd, x, List.copyOf(vars));
            if (y == null) {
                throw new IllegalStateException("the SameDiff definition returned no output");
            }
            this.output = y.name();
        }

        /**
         * Calls run in the caller's workspace (a training step's, reset after the step), so SameDiff
         * must not keep arrays from one call for the next: its default session memory manager caches
         * freed arrays for reuse, and resident memory grew to 3 GB on the dwconv bench (0.76 GB by
         * hand) with the arrays left to the garbage collector. No caching; every intermediate then
         * lives and dies with the step, like a hand-written layer's. Both graphs: the forward's and
         * the gradient function's.
         */
        private void noArrayCache() {
            for (SameDiff graph : new SameDiff[] {sd, sd.getFunction("grad")}) {
                if (graph == null) {
                    continue;
                }
                for (InferenceSession session : graph.getSessions().values()) {
                    if (!(session.getMmgr() instanceof NoOpMemoryMgr)) {
                        session.setMmgr(new NoOpMemoryMgr());
                    }
                }
            }
        }

        INDArray output(INDArray x) {
            sd.associateArrayWithVariable(x, INPUT);
            noArrayCache();
            INDArray y = sd.output(new HashMap<String, INDArray>(), output).get(output);
            noArrayCache();
            return y.dup(); // the graph may reuse its arrays on the next call
        }

        INDArray backward(INDArray x, INDArray g) {
            List<String> wanted = new ArrayList<>(names);
            wanted.add(INPUT);
            if (!differentiable) {
                // built outside the step's workspace: constants the gradient graph creates must outlive the step
                try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    SDVariable y = sd.getVariable(output);
                    SDVariable upstream = sd.placeHolder(UPSTREAM, g.dataType(), g.shape());
                    sd.setLossVariables(y.mul(upstream).sum());
                    sd.createGradFunction(wanted.toArray(new String[0]));
                }
                differentiable = true;
            }
            sd.associateArrayWithVariable(x, INPUT); // another forward may have run since this one
            noArrayCache();
            Map<String, INDArray> grads = sd.calculateGradients(Map.of(UPSTREAM, g.castTo(x.dataType())), wanted);
            noArrayCache();
            for (int i = 0; i < parameters.size(); i++) {
                INDArray gp = grads.get(names.get(i));
                if (gp != null) { // null: the output does not depend on this parameter
                    parameters.get(i).accumulate(gp);
                }
            }
            INDArray dx = grads.get(INPUT);
            return dx == null ? Nd4j.zeros(x.dataType(), x.shape()) : dx;
        }
    }
}
