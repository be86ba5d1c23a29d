package org.crossl.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class WindowStoreTest {

    @Test
    void arrayStoreReadsEveryWindowAcrossBlocksAndGathersInOrder() {
        int n = 1300; // more than two read blocks
        float[] v = new float[n * 4 * 3];
        for (int k = 0; k < v.length; k++) {
            v[k] = k;
        }
        ArrayWindowStore s = new ArrayWindowStore(Nd4j.create(v, new long[] {n, 4, 3}, 'c'));
        float[] w = new float[12];
        for (int i : new int[] {0, 511, 512, 1299, 3, 1024}) {
            s.read(i, w, 0);
            assertThat(w[0]).isEqualTo(i * 12f);
            assertThat(w[11]).isEqualTo(i * 12f + 11);
        }
        assertThat(s.gather(new int[] {5, 2}).getFloat(1, 0, 0)).isEqualTo(24f);
        assertThatThrownBy(() -> s.read(n, w, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void mappedStoreWritesAndReadsLittleEndianWindowsAfterAnOffset(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.f32");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(16 + 5 * 2 * 3 * 4);
        }
        MappedWindowStore out = new MappedWindowStore(f, 16, 5, 2, 3, true);
        for (int i = 0; i < 5; i++) {
            float[] w = new float[6];
            for (int k = 0; k < 6; k++) {
                w[k] = 10 * i + k;
            }
            out.write(i, w, 0);
        }
        MappedWindowStore in = new MappedWindowStore(f, 16, 5, 2, 3, false);
        assertThat(in.inMemory()).isFalse();
        assertThat(in.gather(new int[] {4, 1}).getFloat(0, 1, 2)).isEqualTo(45f);
        assertThat(in.toArray().getFloat(1, 0, 0)).isEqualTo(10f);
        assertThatThrownBy(() -> new MappedWindowStore(f, 16, 6, 2, 3, false))
                .hasMessageContaining("w.f32").hasMessageContaining("truncated");
    }
}
