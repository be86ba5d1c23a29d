package org.crossl.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.crossl.core.config.Section;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.config.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class DatasetCacheTest {

    @TempDir
    Path tmp;
    Path source;
    Path cacheDir;
    final AtomicInteger loads = new AtomicInteger();
    final Section section = Section.parse("data", "{\"type\": \"fake\", \"window\": 4}");

    static final List<ModalitySpec> MODS = List.of(
            new ModalitySpec("acc", List.of("x", "y"), 50, "wrist"),
            new ModalitySpec("ecg", List.of("v"), 125, "chest"));

    /** Two modalities of different lengths; window i, modality m holds values 1000·m + 10·i + k. */
    static WindowDataset dataset(int n, int subjectBase) {
        if (n == 0) {
            var f = org.nd4j.linalg.api.buffer.DataType.FLOAT;
            return new WindowDataset(MODS, List.of(Nd4j.create(f, 0, 4, 2), Nd4j.create(f, 0, 10, 1)), Nd4j.create(f, 0, 2),
                    new int[0], new int[0], List.of("rest", "walk"));
        }
        float[] a = new float[n * 4 * 2];
        float[] e = new float[n * 10];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 8; k++) {
                a[i * 8 + k] = 10 * i + k;
            }
            for (int k = 0; k < 10; k++) {
                e[i * 10 + k] = 1000 + 10 * i + k;
            }
        }
        float[] presence = new float[n * 2];
        java.util.Arrays.fill(presence, 1f);
        presence[1] = 0f; // window 0 without ecg
        int[] labels = new int[n];
        int[] subjects = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3 == 0 ? WindowBatch.UNLABELLED : i % 2;
            subjects[i] = subjectBase + i / 2;
        }
        return new WindowDataset(MODS, List.of(Nd4j.create(a, new long[] {n, 4, 2}, 'c'), Nd4j.create(e, new long[] {n, 10, 1}, 'c')),
                Nd4j.create(presence, new long[] {n, 2}, 'c'), labels, subjects, List.of("rest", "walk"));
    }

    final Supplier<DataSplits> loader = () -> {
        loads.incrementAndGet();
        return new DataSplits(dataset(7, 1), dataset(3, 100), dataset(0, 200), Map.of("reader", "fake", "windows", 10));
    };

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(source.resolve("a.csv"), "1,2,3\n");
        cacheDir = tmp.resolve("cache");
    }

    @SuppressWarnings("unchecked")
    static String status(DataSplits d) {
        return (String) ((Map<String, Object>) d.description().get("cache")).get("status");
    }

    @Test
    void aHitGivesTheSameWindowsMemoryMapped() {
        DatasetCache cache = DatasetCache.at(cacheDir);
        DataSplits built = cache.load("fake", section, 0, source, loader);
        DataSplits hit = cache.load("fake", section, 0, source, loader);
        assertThat(status(built)).isEqualTo("built");
        assertThat(status(hit)).isEqualTo("hit");
        assertThat(loads).hasValue(1);
        assertThat(hit.train().inMemory()).isFalse();
        assertThat(hit.description()).containsEntry("reader", "fake");
        for (WindowDataset[] pair : new WindowDataset[][] {{built.train(), hit.train()}, {built.validation(), hit.validation()},
            {built.test(), hit.test()}}) {
            WindowDataset a = pair[0];
            WindowDataset b = pair[1];
            assertThat(b.size()).isEqualTo(a.size());
            assertThat(b.modalities()).isEqualTo(a.modalities());
            assertThat(b.classNames()).isEqualTo(a.classNames());
            assertThat(b.labels()).containsExactly(a.labels());
            assertThat(b.subjects()).containsExactly(a.subjects());
            if (a.size() > 0) {
                assertThat(b.presence()).isEqualTo(a.presence());
                for (int m = 0; m < 2; m++) {
                    assertThat(b.data(m)).isEqualTo(a.data(m));
                }
                int[] idx = {a.size() - 1, 0};
                assertThat(b.batch(idx).inputs().get(1)).isEqualTo(a.batch(idx).inputs().get(1));
            }
        }
        assertThat(hit.train().data(1).getFloat(2, 3, 0)).isEqualTo(1023f);
    }

    @Test
    void aChangedSourceOrConfigRebuildsAndTheStaleEntryGoes() throws IOException {
        DatasetCache cache = DatasetCache.at(cacheDir);
        cache.load("fake", section, 0, source, loader);
        assertThat(entries()).hasSize(1);
        assertThat(status(cache.load("fake", section, 1, source, loader))).isEqualTo("built"); // another seed: another entry
        assertThat(entries()).hasSize(2);
        Section other = section.with("window", "8");
        assertThat(status(cache.load("fake", other, 0, source, loader))).isEqualTo("built");
        assertThat(entries()).hasSize(3);
        Files.writeString(source.resolve("a.csv"), "1,2,3,4\n");
        assertThat(status(cache.load("fake", section, 0, source, loader))).isEqualTo("built");
        assertThat(entries()).hasSize(3); // the seed-0 entry of the old files was replaced
        assertThat(status(cache.load("fake", section, 0, source, loader))).isEqualTo("hit");
        assertThat(loads).hasValue(4);
    }

    @Test
    void aDamagedEntryIsRebuilt() throws IOException {
        DatasetCache cache = DatasetCache.at(cacheDir);
        cache.load("fake", section, 0, source, loader);
        Path entry = entries().get(0);
        try (FileChannel ch = FileChannel.open(entry.resolve("train.bin"), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 9);
        }
        DataSplits again = cache.load("fake", section, 0, source, loader);
        assertThat(status(again)).isEqualTo("built");
        assertThat(loads).hasValue(2);
        assertThat(status(cache.load("fake", section, 0, source, loader))).isEqualTo("hit");
    }

    /** Flips {@code count} bytes of {@code file} from byte {@code at}. */
    static void flip(Path file, long at, int count) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(count);
            ch.read(b, at);
            for (int i = 0; i < count; i++) {
                b.put(i, (byte) ~b.get(i));
            }
            b.rewind();
            ch.write(b, at);
        }
    }

    /** Flipped bytes inside a window store were once used silently (a cache hit on altered windows). */
    @Test
    void flippedBytesInsideTheWindowsAreFoundAndTheEntryRebuilt() throws IOException {
        DatasetCache cache = DatasetCache.at(cacheDir);
        DataSplits built = cache.load("fake", section, 0, source, loader);
        Path entry = entries().get(0);
        flip(entry.resolve("train.bin"), 40, 8); // inside the first modality's windows of the training split
        DataSplits again = cache.load("fake", section, 0, source, loader);
        assertThat(status(again)).isEqualTo("built");
        assertThat(loads).hasValue(2);
        assertThat(again.train().data(0)).isEqualTo(built.train().data(0));
        DataSplits hit = cache.load("fake", section, 0, source, loader);
        assertThat(status(hit)).isEqualTo("hit");
        assertThat(hit.train().data(0)).isEqualTo(built.train().data(0));
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) hit.description().get("cache");
        assertThat(c).containsEntry("verified", "whole entry, CRC32C").containsKey("verifyMillis");
    }

    @Test
    void aLargeEntryIsVerifiedChunkByChunkAsItIsReadAndDamageIsAClearError() throws IOException {
        DatasetCache cache = DatasetCache.at(cacheDir).withChecks(64, 0); // 64-byte chunks, nothing verified up front
        cache.load("fake", section, 0, source, loader);
        Path entry = entries().get(0);
        Path train = entry.resolve("train.bin");
        flip(train, 4, 4); // window 0 of the first modality (32 bytes a window): chunk 0
        DataSplits hit = cache.load("fake", section, 0, source, loader);
        assertThat(status(hit)).isEqualTo("hit");
        float[] w = new float[8];
        hit.train().store(0).read(3, w, 0); // bytes 96-127: chunk 1, intact
        assertThat(w[0]).isEqualTo(dataset(7, 1).data(0).getFloat(3, 0, 0));
        assertThatThrownBy(() -> hit.train().store(0).read(0, w, 0))
                .isInstanceOf(org.crossl.api.data.DataFormatException.class)
                .hasMessageContaining("the window cache file " + train + " is damaged: bytes 0-63 fail their CRC32C check")
                .hasMessageContaining("delete " + entry);
        // the tail (presence, labels, subjects) is read when the entry is opened: damage there rebuilds it
        flip(train, java.nio.file.Files.size(train) - 3, 2);
        assertThat(status(cache.load("fake", section, 0, source, loader))).isEqualTo("built");
    }

    @Test
    void twoProcessesBuildingTheSameEntryBothGetTheirDataAndOneEntryStays() throws Exception {
        DatasetCache cache = DatasetCache.at(cacheDir);
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
        Supplier<DataSplits> slow = () -> {
            both.countDown();
            try {
                both.await(); // both are past the "is it cached?" check before either writes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return loader.get();
        };
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> cache.load("fake", section, 0, source, slow));
            var b = pool.submit(() -> cache.load("fake", section, 0, source, slow));
            assertThat(status(a.get())).isEqualTo("built");
            assertThat(status(b.get())).isEqualTo("built");
            assertThat(a.get().train().labels()).containsExactly(b.get().train().labels());
        } finally {
            pool.shutdown();
        }
        assertThat(entries()).hasSize(1);
        assertThat(status(cache.load("fake", section, 0, source, loader))).isEqualTo("hit");
    }

    @Test
    void offOrWithoutSourceLoadsDirectly() {
        assertThat(status(DatasetCache.at(null).load("fake", section, 0, source, loader))).isEqualTo("off");
        assertThat(status(DatasetCache.at(cacheDir).load("fake", section, 0, null, loader))).isEqualTo("off");
        assertThat(loads).hasValue(2);
        assertThat(Files.exists(cacheDir)).isFalse();
    }

    @Test
    void normalisingAMappedDatasetScalesBatchesExactlyLikeTheInMemoryOne() {
        DatasetCache cache = DatasetCache.at(cacheDir);
        DataSplits built = cache.load("fake", section, 0, source, loader);
        DataSplits hit = cache.load("fake", section, 0, source, loader);
        Normalizer a = Normalizer.fit(built.train());
        Normalizer b = Normalizer.fit(hit.train());
        assertThat(b.mean()).isDeepEqualTo(a.mean());
        assertThat(b.std()).isDeepEqualTo(a.std());
        WindowDataset sa = a.apply(built.train());
        WindowDataset sb = b.apply(hit.train());
        assertThat(sb.inMemory()).isFalse();
        int[] idx = {0, 3, 6};
        for (int m = 0; m < 2; m++) {
            // bit for bit: a seeded run must not depend on whether its data came from the cache
            assertThat(sb.batch(idx).inputs().get(m).data().asFloat()).containsExactly(sa.batch(idx).inputs().get(m).data().asFloat());
        }
        assertThat(sb.batch(idx).inputs().get(1).slice(0).sumNumber().doubleValue()).isZero(); // absent stays zero
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> s = Files.list(cacheDir)) {
            return s.filter(Files::isDirectory).toList();
        }
    }
}
