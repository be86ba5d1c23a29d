package org.crossl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine} and {@code --master} on the CLI's own class path, which does not hold crossl-spark:
 * the errors say what to do, and nothing is trained or left half-written. (The spark engine itself
 * is tested in crossl-spark.)
 */
class EngineOptionTest {

    @Test
    void theSparkEngineMissingFromTheClassPathIsNamedWithTheFix(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        CliEndToEndTest.Result r = CliEndToEndTest.run("pretrain", "--engine", "spark", "--preset", "basicmotions", "--out", out.toString(),
                "--data-root", CliEndToEndTest.dataRoot().toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown --engine 'spark'", "[local]", "crossl-spark", "--engine spark");
        assertThat(out.resolve("run.json")).doesNotExist();
    }

    @Test
    void masterWithoutTheSparkEngineAndAnUnknownEngineAreUsageErrors(@TempDir Path tmp) {
        CliEndToEndTest.Result master = CliEndToEndTest.run("pretrain", "--master", "local[2]", "--preset", "basicmotions", "--out",
                tmp.resolve("a").toString());
        assertThat(master.code()).isEqualTo(2);
        assertThat(master.err()).contains("--master is an option of --engine spark");
        CliEndToEndTest.Result unknown = CliEndToEndTest.run("pretrain", "--engine", "flink", "--preset", "basicmotions", "--out",
                tmp.resolve("b").toString(), "--data-root", CliEndToEndTest.dataRoot().toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown --engine 'flink'").doesNotContain("crossl-spark");
    }
}
