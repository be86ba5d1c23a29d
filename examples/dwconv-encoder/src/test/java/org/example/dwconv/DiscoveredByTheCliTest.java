package org.example.dwconv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin reaches the unmodified CroSSL command line from its jar alone: each test starts a JVM
 * whose class path is the CLI's (this test class path without the plugin's own classes) plus the
 * plugin jar, exactly what {@code CROSSL_PLUGIN_PATH=plugin.jar ./crossl ...} does.
 */
class DiscoveredByTheCliTest {
    @TempDir
    static Path tmp;
    static Path jar;
    static String cliClassPath;

    @BeforeAll
    static void packTheJar() throws Exception {
        Path classes = Path.of(DwConvProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        jar = tmp.resolve("crossl-dwconv-encoder.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        Path testClasses = Path.of(DiscoveredByTheCliTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        cliClassPath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !Path.of(e).toAbsolutePath().equals(classes.toAbsolutePath()) && !Path.of(e).toAbsolutePath().equals(testClasses.toAbsolutePath()))
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    record Result(int code, String out) {
    }

    static Result cli(boolean withPlugin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                withPlugin ? cliClassPath + java.io.File.pathSeparator + jar : cliClassPath, "org.crossl.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    @Test
    void pluginsListsTheEncoderFromItsJar() throws Exception {
        Result r = cli(true, "plugins");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("dwconv", "example plugin: depthwise-separable CNN", jar.getFileName().toString());
        assertThat(cli(false, "plugins").out()).doesNotContain("dwconv");
    }

    @Test
    void pretrainsBasicMotionsWithTheEncoderMixedWithTcn() throws Exception {
        Path data = Path.of(System.getProperty("crossl.data", "../../../shared/data"));
        assumeTrue(Files.isDirectory(data.resolve("uea/BasicMotions")), "BasicMotions data not available");
        Path out = tmp.resolve("run");
        String[] args = {"pretrain", "--preset", "basicmotions", "--out", out.toString(), "--data-root", data.toString(), "--no-cache", "--quiet",
            "--set", "encoders.acc={type: dwconv, widths: [16, 96]}", "--set", "training.epochs=2"};
        Result r = cli(true, args);
        assertThat(r.code()).as(r.out()).isZero();
        String model = Files.readString(out.resolve("model/model.json"));
        assertThat(model).contains("\"dwconv\"", "\"tcn\"");
        args[4] = tmp.resolve("run-without").toString();
        Result without = cli(false, args);
        assertThat(without.code()).isEqualTo(2);
        assertThat(without.out()).contains("dwconv", "tcn"); // names the unknown type and lists the known ones
    }
}
