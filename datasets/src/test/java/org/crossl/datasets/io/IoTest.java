package org.crossl.datasets.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.data.WindowBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoTest {

    @Test
    void parsesDelimitedIntegers() {
        DelimitedLongs p = new DelimitedLongs();
        long[] out = new long[4];
        byte[] line = "-14392\t96\t+3\t0 \r".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.parse(line, 0, line.length, (byte) '\t', out)).isEqualTo(4);
        assertThat(out).containsExactly(-14392, 96, 3, 0);
        byte[] five = "1\t2\t3\t4\t5".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.parse(five, 0, five.length, (byte) '\t', out)).isEqualTo(5);
        byte[] bad = "1\t2x\t3".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.parse(bad, 0, bad.length, (byte) '\t', out)).isEqualTo(DelimitedLongs.BAD_FIELD);
        assertThat(p.badField()).isEqualTo(1);
        byte[] empty = "1\t\t3".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.parse(empty, 0, empty.length, (byte) '\t', out)).isEqualTo(DelimitedLongs.BAD_FIELD);
        byte[] trailingTab = "1\t2\t".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.parse(trailingTab, 0, trailingTab.length, (byte) '\t', out)).isEqualTo(DelimitedLongs.BAD_FIELD);
        byte[] glitch = "4312046944\t-27682432".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.parse(glitch, 0, glitch.length, (byte) '\t', out)).isEqualTo(2);
        assertThat(out[0]).isEqualTo(4312046944L);
        assertThat(out[1]).isEqualTo(-27682432L);
        byte[] huge = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.parse(huge, 0, huge.length, (byte) '\t', out)).isEqualTo(DelimitedLongs.BAD_FIELD);
    }

    @Test
    void byteLinesSplitsLinesAndDropsCarriageReturns() {
        byte[] text = "a\r\nbc\n\nd".getBytes(StandardCharsets.US_ASCII);
        ByteLines l = new ByteLines(text);
        assertThat(l.next()).isTrue();
        assertThat(l.text()).isEqualTo("a");
        assertThat(l.next()).isTrue();
        assertThat(l.text()).isEqualTo("bc");
        assertThat(l.next()).isTrue();
        assertThat(l.isBlank()).isTrue();
        assertThat(l.next()).isTrue();
        assertThat(l.text()).isEqualTo("d");
        assertThat(l.lineNumber()).isEqualTo(4);
        assertThat(l.next()).isFalse();
        assertThat(ByteLines.countLines(text, text.length)).isEqualTo(4);
    }

    @Test
    void slidingWindowsAndLabels() {
        assertThat(SlidingWindows.count(10, 4, 2)).isEqualTo(4); // starts 0, 2, 4, 6
        assertThat(SlidingWindows.count(3, 4, 2)).isZero();
        assertThat(SlidingWindows.count(4, 4, 2)).isEqualTo(1);
        int[] ids = {1, 1, 1, 1, 2, 2, 2, 2, 2, 2};
        int[] ends = SlidingWindows.runEnds(ids, ids.length);
        assertThat(ends).containsExactly(4, 4, 4, 4, 10, 10, 10, 10, 10, 10);
        int[] classOf = {-1, 0, 1};
        assertThat(SlidingWindows.label(ids, ends, 0, 4, classOf)).isZero();
        assertThat(SlidingWindows.label(ids, ends, 2, 4, classOf)).isEqualTo(WindowBatch.UNLABELLED);
        assertThat(SlidingWindows.label(ids, ends, 4, 4, classOf)).isEqualTo(1);
        assertThat(SlidingWindows.label(ids, ends, 6, 4, classOf)).isEqualTo(1);
    }

    @Test
    void readsGzipTransparently(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("x.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("hello\nworld\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("y.txt"), "plain\n");
        assertThat(TextFiles.find(dir, "x.txt")).contains(gz);
        assertThat(TextFiles.find(dir, "y.txt")).contains(dir.resolve("y.txt"));
        assertThat(TextFiles.find(dir, "z.txt")).isEmpty();
        assertThat(TextFiles.readString(gz)).isEqualTo("hello\nworld\n");
        try (BufferedReader r = TextFiles.openReader(gz)) {
            assertThat(r.readLine()).isEqualTo("hello");
        }
        assertThat(TextFiles.baseName(gz)).isEqualTo("x.txt");
    }

    /** Found by the reader fuzz test: a UTF-8 BOM hid in the first field and broke every text reader but recordings. */
    @Test
    void skipsAUtf8ByteOrderMark(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("bom.txt");
        Files.write(plain, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "1 2 3\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(TextFiles.readString(plain)).isEqualTo("1 2 3\n");
        Path gz = dir.resolve("bom.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
        try (BufferedReader r = TextFiles.openReader(gz)) {
            assertThat(r.readLine()).isEqualTo("1 2 3");
        }
    }

    /** Found by the reader fuzz test: UTF-16 text surfaced as "not a number" errors quoting NUL characters. */
    @Test
    void refusesUtf16TextNamingTheFile(@TempDir Path dir) throws Exception {
        Path withBom = dir.resolve("u16.txt");
        Files.write(withBom, "1 2 3\n".getBytes(StandardCharsets.UTF_16));
        assertThatThrownBy(() -> TextFiles.readAllBytes(withBom)).isInstanceOf(DataFormatException.class)
                .hasMessage(withBom + ": UTF-16 text (byte-order mark FE FF); save the file as UTF-8 or plain ASCII");
        Path noBom = dir.resolve("u16le.txt");
        Files.write(noBom, "1 2 3\n".getBytes(StandardCharsets.UTF_16LE));
        assertThatThrownBy(() -> TextFiles.openReader(noBom)).isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(noBom + ": NUL byte at offset 1: UTF-16 text without a byte-order mark");
    }

    /** Found by the reader fuzz test: damaged gzip data was reported as "cannot read f: java.io.EOFException". */
    @Test
    void damagedGzipIsDescribedInWords(@TempDir Path dir) throws Exception {
        Path empty = Files.write(dir.resolve("empty.txt.gz"), new byte[0]);
        assertThatThrownBy(() -> TextFiles.readAllBytes(empty)).isInstanceOf(DataFormatException.class)
                .hasMessage(empty + ": the gzip data ends early (empty or truncated file); re-create or re-download the file");
        Path gz = dir.resolve("x.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("hello\nworld\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] b = Files.readAllBytes(gz);
        b[b.length - 6] ^= 1; // the CRC-32 trailer
        Files.write(gz, b);
        assertThatThrownBy(() -> TextFiles.readAllBytes(gz)).isInstanceOf(DataFormatException.class)
                .hasMessage(gz + ": the gzip data is corrupt: Corrupt GZIP trailer; re-create or re-download the file")
                .message().doesNotContain("java.");
        Path notGzip = Files.writeString(dir.resolve("plain.txt.gz"), "not compressed\n");
        assertThatThrownBy(() -> TextFiles.readAllBytes(notGzip)).hasMessage(notGzip
                + ": the gzip data is corrupt: Not in GZIP format; re-create or re-download the file");
    }

    /** The encoding check peeks at 4 KB: gzip data ending inside them must still fail only after the text read before. */
    @Test
    void gzipEndingInsideThePeekFailsAfterTheReadableText(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("short.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("1 2 3\n".repeat(300).getBytes(StandardCharsets.UTF_8));
        }
        byte[] b = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(b, b.length - 12)); // the end of the deflate data and the trailer
        byte[] buf = new byte[1 << 14];
        int total = 0;
        java.io.IOException failure = null;
        try (java.io.InputStream in = TextFiles.openStream(gz)) {
            for (int k; (k = in.read(buf, total, buf.length - total)) >= 0; ) {
                total += k;
            }
        } catch (java.io.EOFException e) {
            failure = e;
        }
        assertThat(failure).isNotNull();
        assertThat(total).as("text decompressed before the failure").isGreaterThan(1000).isLessThan(1800);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
