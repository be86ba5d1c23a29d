package org.crossl.nn.onednn;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.lang.ref.Cleaner;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One convolution layer's oneDNN 3 primitives: 1-D, stride 1, 'same' padding, float32, every array
 * channels-last and used in place.
 *
 * <p>Logical dims are oneDNN's ({@code src {B, Cin, T}}, {@code weights {Cout, Cin, K}}); the
 * memory tags say where the elements sit: {@code nwc} is the model's {@code [B, T, C]} and
 * {@code wio} is the layer's {@code W [K, Cin, Cout]}, both row-major. Padding is
 * {@code pl = (K−1)/2} on the left and {@code K−1−pl} on the right, as libnd4j's and PyTorch's
 * 'same'. Forward, backward-data and backward-weights (with bias) are separate primitives, so a
 * caller that needs no input gradient (an encoder's first layer) never computes one.
 *
 * <p>Activations are always read and written channels-last. The weights' layout in the backward
 * primitives is left to oneDNN ({@code any}): for plain weights it only has gemm-based backward
 * kernels, and with its own blocked layout it picks its direct ones; the weights (a few thousand
 * numbers) are reordered into that layout, and the weight gradient out of it, around the call.
 *
 * <p>Primitives are built once per batch shape {@code (B, T)} and kept in a small LRU cache
 * ({@value #CACHE_SHAPES} shapes: training, the last smaller batch, validation and embedding
 * batches); each call only points the primitives' memory at the arrays. Native objects are freed
 * on eviction and when the kernel becomes unreachable. Calls are serialised per kernel.
 */
public final class Conv1dKernel {
    /** Batch shapes whose primitives a kernel keeps. */
    public static final int CACHE_SHAPES = 8;
    private static final Cleaner CLEANER = Cleaner.create();

    private final int in;
    private final int out;
    private final int kernel;
    private final Shapes shapes;

    public Conv1dKernel(int inChannels, int outChannels, int kernel) {
        this.in = inChannels;
        this.out = outChannels;
        this.kernel = kernel;
        this.shapes = new Shapes();
        CLEANER.register(this, shapes::close);
    }

    /** {@code y [B, T, Cout] = conv(x [B, T, Cin], w [K, Cin, Cout]) + b [Cout]}. */
    public void forward(INDArray x, INDArray w, INDArray b, INDArray y) {
        checkFloat(x, w, b, y);
        synchronized (shapes) {
            shapes.entry(x.size(0), x.size(1), this).forward().run(ptr(x), ptr(w), ptr(b), ptr(y));
        }
    }

    /** {@code gx [B, T, Cin]} (overwritten) from {@code gy [B, T, Cout]}. */
    public void backwardData(INDArray gy, INDArray w, INDArray gx) {
        checkFloat(gy, w, gx);
        synchronized (shapes) {
            shapes.entry(gy.size(0), gy.size(1), this).backwardData().run(ptr(gy), ptr(w), ptr(gx));
        }
    }

    /** {@code gw [K, Cin, Cout]} and {@code gb [Cout]} (overwritten) from {@code x} and {@code gy}. */
    public void backwardWeights(INDArray x, INDArray gy, INDArray gw, INDArray gb) {
        checkFloat(x, gy, gw, gb);
        synchronized (shapes) {
            shapes.entry(x.size(0), x.size(1), this).backwardWeights().run(ptr(x), ptr(gy), ptr(gw), ptr(gb));
        }
    }

    /** The array's first element; {@code addressPointer()} already includes a view's offset. */
    private static Pointer ptr(INDArray a) {
        return a.data().addressPointer();
    }

    private static void checkFloat(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("the oneDNN convolution is float32 only, got " + a.dataType());
            }
        }
    }

    /** An LRU map of batch shapes; holds no reference to its kernel, so the cleaner can run. */
    private static final class Shapes extends LinkedHashMap<Long, Entry> {
        private boolean closed;

        Shapes() {
            super(16, 0.75f, true);
        }

        Entry entry(long b, long t, Conv1dKernel k) {
            if (b > Integer.MAX_VALUE || t > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("batch or length too large for the convolution: " + b + " x " + t);
            }
            long key = (b << 32) | t;
            Entry e = get(key);
            if (e == null) {
                e = new Entry(b, t, k.in, k.out, k.kernel);
                put(key, e);
            }
            return e;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Entry> eldest) {
            if (size() > CACHE_SHAPES) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }

        void close() {
            synchronized (this) {
                if (!closed) {
                    values().forEach(Entry::close);
                    clear();
                    closed = true;
                }
            }
        }
    }

    /** The memory descriptors of one batch shape and the primitives built from them, lazily. */
    private static final class Entry {
        private final dnnl_memory_desc src;
        private final dnnl_memory_desc weights;
        private final dnnl_memory_desc bias;
        private final dnnl_memory_desc dst;
        private final dnnl_memory_desc weightsAny;
        private final long[] strides = {1};
        private final long[] dilates = {0};
        private final long[] padLeft;
        private final long[] padRight;
        private dnnl_primitive_desc forwardPd;
        private Adapted forward;
        private Adapted backwardData;
        private Adapted backwardWeights;

        Entry(long b, long t, int in, int out, int k) {
            long[] weightDims = {out, in, k};
            src = desc(new long[] {b, in, t}, dnnl_nwc);
            weights = desc(weightDims, dnnl_wio);
            bias = desc(new long[] {out}, dnnl_a);
            dst = desc(new long[] {b, out, t}, dnnl_nwc);
            // activations stay channels-last: 'any' there picked slower blocked kernels plus reorders of
            // megabytes (measured); for the weights it picks direct kernels at the price of a tiny reorder
            weightsAny = desc(weightDims, dnnl_format_tag_any);
            int pl = (k - 1) / 2;
            padLeft = new long[] {pl};
            padRight = new long[] {k - 1 - pl};
        }

        private static dnnl_memory_desc desc(long[] dims, int tag) {
            dnnl_memory_desc md = new dnnl_memory_desc();
            OneDnn.check(dnnl_memory_desc_create_with_tag(md, dims.length, dims, dnnl_f32, tag), "describing an array");
            return md;
        }

        private dnnl_primitive_desc forwardPd() {
            if (forwardPd == null) {
                dnnl_primitive_desc pd = new dnnl_primitive_desc();
                OneDnn.check(dnnl_convolution_forward_primitive_desc_create(pd, OneDnn.engine(), dnnl_forward_training, dnnl_convolution_direct,
                        src, weights, bias, dst, strides, dilates, padLeft, padRight, OneDnn.deterministic()), "creating a forward convolution");
                forwardPd = pd;
            }
            return forwardPd;
        }

        Adapted forward() {
            if (forward == null) {
                forward = new Adapted(forwardPd(), false, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                        new dnnl_memory_desc[] {src, weights, bias, dst}, new boolean[] {false, false, false, true});
            }
            return forward;
        }

        Adapted backwardData() {
            if (backwardData == null) {
                dnnl_primitive_desc pd = new dnnl_primitive_desc();
                OneDnn.check(dnnl_convolution_backward_data_primitive_desc_create(pd, OneDnn.engine(), dnnl_convolution_direct,
                        src, weightsAny, dst, strides, dilates, padLeft, padRight, forwardPd(), OneDnn.deterministic()), "creating a backward-data convolution");
                backwardData = new Adapted(pd, true, new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC},
                        new dnnl_memory_desc[] {dst, weights, src}, new boolean[] {false, false, true});
            }
            return backwardData;
        }

        Adapted backwardWeights() {
            if (backwardWeights == null) {
                dnnl_primitive_desc pd = new dnnl_primitive_desc();
                OneDnn.check(dnnl_convolution_backward_weights_primitive_desc_create(pd, OneDnn.engine(), dnnl_convolution_direct,
                        src, weightsAny, bias, dst, strides, dilates, padLeft, padRight, forwardPd(), OneDnn.deterministic()),
                        "creating a backward-weights convolution");
                backwardWeights = new Adapted(pd, true, new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS, DNNL_ARG_DIFF_BIAS},
                        new dnnl_memory_desc[] {src, dst, weights, bias}, new boolean[] {false, false, true, true});
            }
            return backwardWeights;
        }

        void close() {
            for (Adapted p : new Adapted[] {forward, backwardData, backwardWeights}) {
                if (p != null) {
                    p.close();
                }
            }
            if (forwardPd != null) {
                dnnl_primitive_desc_destroy(forwardPd);
            }
            for (dnnl_memory_desc md : new dnnl_memory_desc[] {src, weights, bias, dst, weightsAny}) {
                dnnl_memory_desc_destroy(md);
            }
        }
    }

    /**
     * A primitive whose arguments are given in their plain layouts: where the primitive chose
     * another layout for an argument, a buffer in that layout and a reorder into it (inputs) or out
     * of it (outputs) run around the call.
     */
    private static final class Adapted {
        private final Prim primitive;
        private final Prim[] reorders;
        private final BytePointer[] buffers;
        private final boolean[] outputs;
        private final Pointer[] handles;

        Adapted(dnnl_primitive_desc pd, boolean ownsPd, int[] args, dnnl_memory_desc[] plain, boolean[] outputs) {
            this.outputs = outputs;
            reorders = new Prim[args.length];
            buffers = new BytePointer[args.length];
            handles = new Pointer[args.length];
            dnnl_memory_desc[] chosen = new dnnl_memory_desc[args.length];
            for (int i = 0; i < args.length; i++) {
                dnnl_memory_desc md = dnnl_primitive_desc_query_md(pd, dnnl_query_exec_arg_md, args[i]);
                chosen[i] = md;
                if (dnnl_memory_desc_equal(md, plain[i]) == 0) {
                    buffers[i] = new BytePointer(dnnl_memory_desc_get_size(md));
                    reorders[i] = outputs[i] ? reorder(md, plain[i]) : reorder(plain[i], md);
                }
            }
            primitive = new Prim(pd, ownsPd, args, chosen);
        }

        private static Prim reorder(dnnl_memory_desc from, dnnl_memory_desc to) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            OneDnn.check(dnnl_reorder_primitive_desc_create(pd, from, OneDnn.engine(), to, OneDnn.engine(), OneDnn.deterministic()),
                    "creating a reorder");
            return new Prim(pd, true, new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, new dnnl_memory_desc[] {from, to});
        }

        void run(Pointer... plain) {
            for (int i = 0; i < plain.length; i++) {
                handles[i] = buffers[i] != null ? buffers[i] : plain[i];
                if (reorders[i] != null && !outputs[i]) {
                    reorders[i].run(plain[i], buffers[i]);
                }
            }
            primitive.run(handles);
            for (int i = 0; i < plain.length; i++) {
                if (reorders[i] != null && outputs[i]) {
                    reorders[i].run(buffers[i], plain[i]);
                }
            }
        }

        void close() {
            primitive.close();
            for (int i = 0; i < reorders.length; i++) {
                if (reorders[i] != null) {
                    reorders[i].close();
                    buffers[i].close();
                }
            }
        }
    }

    /** A primitive with one memory object per argument, re-pointed at the buffers on every call. */
    private static final class Prim {
        private final dnnl_primitive_desc ownPd;
        private final dnnl_primitive primitive;
        private final dnnl_memory[] memory;
        private final dnnl_exec_arg_t args;
        private final long scratchpadBytes;

        Prim(dnnl_primitive_desc pd, boolean ownsPd, int[] argKinds, dnnl_memory_desc[] descs) {
            this.ownPd = ownsPd ? pd : null;
            primitive = new dnnl_primitive();
            OneDnn.check(dnnl_primitive_create(primitive, pd), "creating a primitive");
            dnnl_memory_desc scratch = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
            scratchpadBytes = scratch == null || scratch.isNull() ? 0 : dnnl_memory_desc_get_size(scratch);
            int n = argKinds.length + (scratchpadBytes > 0 ? 1 : 0);
            memory = new dnnl_memory[n];
            args = new dnnl_exec_arg_t(n);
            for (int i = 0; i < n; i++) {
                boolean isScratch = i == argKinds.length;
                memory[i] = new dnnl_memory();
                // no buffer of its own (DNNL_MEMORY_NONE): each call points it at one
                OneDnn.check(dnnl_memory_create(memory[i], isScratch ? scratch : descs[i], OneDnn.engine(), (Pointer) null),
                        "creating a memory object");
                args.getPointer(i).arg(isScratch ? DNNL_ARG_SCRATCHPAD : argKinds[i]).memory(memory[i]);
            }
        }

        void run(Pointer... buffers) {
            for (int i = 0; i < buffers.length; i++) {
                OneDnn.check(dnnl_memory_set_data_handle(memory[i], buffers[i]), "pointing at an array");
            }
            if (scratchpadBytes > 0) { // the calling thread's: primitives may run on any thread
                OneDnn.check(dnnl_memory_set_data_handle(memory[buffers.length], OneDnn.scratchpad(scratchpadBytes)), "pointing at the scratchpad");
            }
            OneDnn.check(dnnl_primitive_execute(primitive, OneDnn.stream(), memory.length, args), "running a primitive");
            OneDnn.check(dnnl_stream_wait(OneDnn.stream()), "waiting for a primitive");
        }

        void close() {
            for (dnnl_memory m : memory) {
                dnnl_memory_destroy(m);
            }
            dnnl_primitive_destroy(primitive);
            if (ownPd != null) {
                dnnl_primitive_desc_destroy(ownPd);
            }
            args.close();
        }
    }
}
