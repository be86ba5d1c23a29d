package org.crossl.datasets.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DelimitedDoublesTest {

    static int parse(String line, char delimiter, double[] out, DelimitedDoubles p) {
        byte[] b = line.getBytes(StandardCharsets.US_ASCII);
        return p.parse(b, 0, b.length, (byte) delimiter, out);
    }

    @Test
    void plainDecimalsMatchJava() {
        Random r = new Random(1);
        DelimitedDoubles p = new DelimitedDoubles();
        double[] out = new double[1];
        for (int i = 0; i < 10_000; i++) {
            String s = Double.toString((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(8) - 3));
            if (s.contains("E")) {
                continue;
            }
            assertThat(parse(s, ',', out, p)).isEqualTo(1);
            assertThat(out[0]).isEqualTo(Double.parseDouble(s));
        }
        assertThat(parse("0.9180555898766518 -0.1124999994242935 0.5097222514293852", ' ', new double[3], p)).isEqualTo(3);
    }

    @Test
    void fieldsSpecialValuesAndFailures() {
        DelimitedDoubles p = new DelimitedDoubles();
        double[] out = new double[4];
        assertThat(parse("  1.5\t -2   3e2 ", ' ', out, p)).isEqualTo(3);
        assertThat(out).startsWith(1.5, -2, 300);
        assertThat(parse("1, NaN ,inf,-Infinity", ',', out, p)).isEqualTo(4);
        assertThat(out[1]).isNaN();
        assertThat(out[2]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(out[3]).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(parse("1,,3", ',', out, p)).isEqualTo(DelimitedDoubles.BAD_FIELD);
        assertThat(p.badField()).isEqualTo(1);
        assertThat(parse("1,2,x", ',', out, p)).isEqualTo(DelimitedDoubles.BAD_FIELD);
        assertThat(p.badField()).isEqualTo(2);
        assertThat(parse("1,0x1p3", ',', out, p)).isEqualTo(DelimitedDoubles.BAD_FIELD);
        assertThat(parse("1,2d", ',', out, p)).isEqualTo(DelimitedDoubles.BAD_FIELD);
        assertThat(parse("-", ',', out, p)).isEqualTo(DelimitedDoubles.BAD_FIELD);
        assertThat(parse(".", ',', out, p)).isEqualTo(DelimitedDoubles.BAD_FIELD);
        assertThat(parse("", ',', out, p)).isZero();
        assertThat(parse("12345678901234567890123", ',', out, p)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(1.2345678901234568e22);
    }
}
