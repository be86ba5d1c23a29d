package org.crossl.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.LatentMask;
import org.crossl.api.MaskContext;
import org.crossl.api.Masker;
import org.crossl.api.spi.MaskerProvider;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conformance checks for a {@link MaskerProvider}, from the masker contract (method.md): masks
 * shaped {@code [B, M]} (and {@code [B, T'_m]}, {@code [B, M, D]} when present) holding only 0 and
 * 1; absent modalities never kept; at least one present modality kept per sample that has one;
 * at least one latent step kept per row; the same random stream gives the same mask.
 */
public final class MaskerKit extends ComponentKit<MaskerKit> {
    private final MaskerProvider<Object> maskers;
    private int batch = 64;
    private int[] latentLengths = {16, 16, 8, 12};
    private int codeSize = 8;

    @SuppressWarnings("unchecked")
    MaskerKit(MaskerProvider<?> provider) {
        super(provider, MaskerProvider.class);
        this.maskers = (MaskerProvider<Object>) provider;
    }

    /** B, T'_m per modality and D of the contexts the checks draw; default 64, {16, 16, 8, 12}, 8. */
    public MaskerKit context(int batch, int[] latentLengths, int codeSize) {
        this.batch = batch;
        this.latentLengths = latentLengths.clone();
        this.codeSize = codeSize;
        return this;
    }

    /** Modality specs for the contexts' M modalities (m0, m1, …; one channel each, 10 Hz, each its own device). */
    private List<org.crossl.api.data.ModalitySpec> modalities() {
        List<org.crossl.api.data.ModalitySpec> out = new ArrayList<>();
        for (int j = 0; j < latentLengths.length; j++) {
            out.add(new org.crossl.api.data.ModalitySpec("m" + j, List.of("c"), 10, null));
        }
        return out;
    }

    /** Presence with absent modalities: row 0 all present, row 1 only one modality, others random (some rows with none). */
    private MaskContext context(long seed) {
        int m = latentLengths.length;
        SplittableRandom r = new SplittableRandom(seed);
        INDArray p = Nd4j.zeros(DataType.FLOAT, batch, m);
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < m; j++) {
                p.putScalar(i, j, i == 0 || (i != 1 && r.nextDouble() < 0.75) ? 1 : 0);
            }
        }
        p.putScalar(1, m - 1, 1);
        return new MaskContext(p, latentLengths.clone(), codeSize);
    }

    @Override
    protected List<Check> kindChecks() {
        List<Check> c = new ArrayList<>();
        c.add(new Check("masks have the contract's shapes and hold only 0 and 1", this::shapes));
        c.add(new Check("absent modalities are never kept; every sample with a present modality keeps one", this::presence));
        c.add(new Check("every time mask row keeps at least one latent step", this::timeRows));
        c.add(new Check("the same random stream gives the same mask", this::determinism));
        return c;
    }

    private List<LatentMask> draws() {
        Masker masker = maskers.create(modalities(), bind(config));
        List<LatentMask> l = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            l.add(masker.sample(context(s), new SplittableRandom(100 + s)));
        }
        return l;
    }

    private static boolean binary(INDArray a) {
        INDArray d = a.castTo(DataType.DOUBLE);
        return d.mul(d.sub(1)).amaxNumber().doubleValue() == 0;
    }

    private void shapes() {
        int m = latentLengths.length;
        for (LatentMask k : draws()) {
            check(k.modalityKeep() != null && java.util.Arrays.equals(k.modalityKeep().shape(), new long[]{batch, m}),
                    "modalityKeep is " + (k.modalityKeep() == null ? null : java.util.Arrays.toString(k.modalityKeep().shape())) + ", expected [" + batch + ", " + m + "]");
            check(binary(k.modalityKeep()), "modalityKeep holds values other than 0 and 1");
            if (k.timeKeep() != null) {
                check(k.timeKeep().size() == m, "timeKeep has " + k.timeKeep().size() + " entries for " + m + " modalities");
                for (int j = 0; j < m; j++) {
                    INDArray t = k.timeKeep().get(j);
                    check(java.util.Arrays.equals(t.shape(), new long[]{batch, latentLengths[j]}),
                            "timeKeep[" + j + "] is " + java.util.Arrays.toString(t.shape()) + ", expected [" + batch + ", " + latentLengths[j] + "]");
                    check(binary(t), "timeKeep[" + j + "] holds values other than 0 and 1");
                }
            }
            if (k.elementKeep() != null) {
                check(java.util.Arrays.equals(k.elementKeep().shape(), new long[]{batch, m, codeSize}),
                        "elementKeep is " + java.util.Arrays.toString(k.elementKeep().shape()) + ", expected [" + batch + ", " + m + ", " + codeSize + "]");
                check(binary(k.elementKeep()), "elementKeep holds values other than 0 and 1");
            }
        }
    }

    private void presence() {
        Masker masker = maskers.create(modalities(), bind(config));
        for (int s = 0; s < 8; s++) {
            MaskContext ctx = context(s);
            LatentMask k = masker.sample(ctx, new SplittableRandom(200 + s));
            INDArray p = ctx.presence().castTo(DataType.DOUBLE);
            INDArray keep = k.modalityKeep().castTo(DataType.DOUBLE);
            check(keep.mul(p.neg().add(1)).amaxNumber().doubleValue() == 0, "an absent modality is kept");
            for (int i = 0; i < batch; i++) {
                if (p.getRow(i).sumNumber().doubleValue() > 0) {
                    check(keep.getRow(i).sumNumber().doubleValue() >= 1, "sample " + i + " has present modalities but keeps none");
                }
            }
        }
    }

    private void timeRows() {
        for (LatentMask k : draws()) {
            if (k.timeKeep() == null) {
                continue;
            }
            for (INDArray t : k.timeKeep()) {
                check(t.castTo(DataType.DOUBLE).sum(1).minNumber().doubleValue() >= 1, "a time mask row keeps no step");
            }
        }
    }

    private void determinism() {
        Masker masker = maskers.create(modalities(), bind(config));
        MaskContext ctx = context(3);
        LatentMask a = masker.sample(ctx, new SplittableRandom(42));
        LatentMask b = masker.sample(ctx, new SplittableRandom(42));
        check(a.modalityKeep().equals(b.modalityKeep()), "the same random stream gave different modality masks");
        check(java.util.Objects.equals(a.timeKeep(), b.timeKeep()), "the same random stream gave different time masks");
        check(java.util.Objects.equals(a.elementKeep(), b.elementKeep()), "the same random stream gave different element masks");
    }
}
