package org.example.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example's calls run end to end on BasicMotions, and the classifier they make classifies. */
class LibraryUsageTest {

    @Test
    void pretrainsEmbedsFineTunesAndPredicts(@TempDir Path out) throws Exception {
        Path data = Path.of(System.getProperty("crossl.data", "../../../shared/data"));
        assumeTrue(Files.isDirectory(data.resolve("uea/BasicMotions")), "BasicMotions not found under " + data.toAbsolutePath());
        LibraryUsage.Result r = LibraryUsage.run(data, out);
        int n = r.splits().test().size();
        assertThat(r.z().shape()).containsExactly(n, 32);
        assertThat(r.all().labels()).hasSize(n);
        assertThat(r.all().probabilities().shape()).containsExactly(n, 4);
        assertThat(r.noGyro().labels()).hasSize(n);
        int[] truth = r.splits().test().labels();
        // four classes: chance is 0.25
        assertThat(accuracy(r.all().labels(), truth)).isGreaterThan(0.6);
        assertThat(accuracy(r.noGyro().labels(), truth)).isGreaterThan(0.4);
        assertThat(out.resolve("classifier/classifier.json")).exists();
    }

    static double accuracy(int[] predicted, int[] truth) {
        int right = 0;
        for (int i = 0; i < truth.length; i++) {
            right += predicted[i] == truth[i] ? 1 : 0;
        }
        return right / (double) truth.length;
    }
}
