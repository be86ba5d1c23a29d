package org.crossl.datasets.npy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.datasets.TestData;
import org.crossl.datasets.uea.UeaConfig;
import org.crossl.datasets.uea.UeaProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real windows through the npy reader: BasicMotions, read by the uea reader, saved as the
 * reference code's pre-split arrays ({@code x_train, y_train, x_test, y_test} in one deflated
 * .npz) and read back, gives the same windows and labels.
 */
class NpyOnBasicMotionsTest {

    @TempDir
    Path tmp;

    @Test
    void aRoundTripThroughAnNpzKeepsEveryWindow() throws Exception {
        Path root = TestData.requireFolder("uea/BasicMotions");
        UeaConfig uea = new UeaConfig("uea/BasicMotions", null, List.of(new UeaConfig.Modality("acc", List.of(0, 1, 2), "watch", null),
                new UeaConfig.Modality("gyro", List.of(3, 4, 5), "watch", null)), 10.0, 0.0, null, null);
        DataSplits ref = new UeaProvider().load(uea, root, 0);
        NpyFiles.npz(tmp.resolve("bm.npz"), true, NpyFiles.entries(
                "x_train", NpyFiles.npy(windows(ref.train())), "y_train", NpyFiles.npy(labels(ref.train())),
                "x_test", NpyFiles.npy(windows(ref.test())), "y_test", NpyFiles.npy(labels(ref.test()))));
        NpyConfig cfg = new NpyConfig("bm.npz", "x", "y", null, null, ref.train().classNames(),
                List.of(new NpyConfig.Modality("acc", List.of(0, 1, 2), "watch", null), new NpyConfig.Modality("gyro", List.of(3, 4, 5), "watch", null)),
                10.0, null, new NpyConfig.SplitFiles("{name}_train", null, "{name}_test"));
        DataSplits back = new NpyProvider().load(cfg, tmp, 0);
        for (WindowDataset[] p : new WindowDataset[][] {{ref.train(), back.train()}, {ref.test(), back.test()}}) {
            assertThat(p[1].size()).isEqualTo(p[0].size()).isEqualTo(40);
            assertThat(p[1].labels()).containsExactly(p[0].labels());
            assertThat(p[1].classNames()).containsExactlyElementsOf(p[0].classNames());
            for (int m = 0; m < 2; m++) {
                assertThat(p[1].data(m)).isEqualTo(p[0].data(m));
            }
        }
        assertThat(back.validation().size()).isZero();
    }

    /** [N, 100, 6] float32: acc channels then gyro channels. */
    private static NpyFiles.Spec windows(WindowDataset d) {
        int n = d.size();
        int t = d.length(0);
        double[] v = new double[n * t * 6];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < t; s++) {
                for (int c = 0; c < 6; c++) {
                    v[(i * t + s) * 6 + c] = d.data(c / 3).getFloat(i, s, c % 3);
                }
            }
        }
        return NpyFiles.doubles("<f4", NpyFiles.shape(n, t, 6), v);
    }

    private static NpyFiles.Spec labels(WindowDataset d) {
        long[] l = new long[d.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = d.label(i);
        }
        return NpyFiles.longs("<i8", NpyFiles.shape(l.length), l);
    }
}
