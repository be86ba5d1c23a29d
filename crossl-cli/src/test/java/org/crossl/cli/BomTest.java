package org.crossl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * crossl-bom lists every published module at the build's version and pins the native stack at the
 * versions the build uses: the BOM cannot inherit them (it has no parent, so that nothing else
 * leaks into users' projects), so this keeps the two from drifting apart.
 */
class BomTest {
    static final Path ROOT = Path.of("..");

    @Test
    void theBomMatchesTheBuild() throws Exception {
        String root = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("crossl-bom/pom.xml"));
        String version = first(root, "<artifactId>crossl-parent</artifactId>\\s*<version>([^<]+)</version>");
        assertThat(first(bom, "<artifactId>crossl-bom</artifactId>\\s*<version>([^<]+)</version>")).isEqualTo(version);
        List<String> modules = new ArrayList<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(root);
        while (m.find()) {
            String module = m.group(1);
            if (!module.startsWith("examples/") && !module.equals("crossl-bom") && !module.equals("crossl-bench")) {
                modules.add(module);
            }
        }
        assertThat(modules).contains("crossl-api", "crossl-core", "crossl-eval");
        for (String module : modules) {
            assertThat(bom).as("crossl-bom manages " + module + " at " + version)
                    .containsPattern("<artifactId>" + Pattern.quote(module) + "</artifactId>\\s*<version>" + Pattern.quote(version) + "</version>");
        }
        String[][] natives = {{"nd4j-native", "nd4j.version"}, {"javacpp", "javacpp.version"}, {"openblas", "openblas.version"},
                {"dnnl", "dnnl.version"}, {"opencl", "opencl.version"}, {"slf4j-api", "slf4j.version"}, {"jackson-bom", "jackson.version"}};
        for (String[] n : natives) {
            String v = first(root, "<" + Pattern.quote(n[1]) + ">([^<]+)</");
            assertThat(bom).as("crossl-bom pins " + n[0] + " at the build's " + n[1] + " " + v)
                    .containsPattern("<artifactId>" + n[0] + "</artifactId>\\s*<version>" + Pattern.quote(v) + "</version>");
        }
    }

    static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }
}
