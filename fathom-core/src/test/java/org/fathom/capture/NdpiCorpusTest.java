package org.fathom.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every capture of the shared nDPI corpus ({@code shared/corpus/ndpi/pcap} next to the repository,
 * read-only) is read to its end without an exception escaping; all but the deliberately broken
 * ones yield packets. Skipped when the corpus is not there.
 */
class NdpiCorpusTest {
    private static final Path CORPUS = Path.of("shared", "corpus", "ndpi", "pcap");

    @TestFactory
    Stream<DynamicTest> everyCorpusCaptureIsReadToItsEnd() throws IOException {
        Optional<Path> corpus = locate();
        assumeTrue(corpus.isPresent(), "nDPI corpus not found (shared/corpus/ndpi/pcap above " + Path.of("").toAbsolutePath() + ")");
        try (Stream<Path> files = Files.list(corpus.get())) {
            return files.filter(Files::isRegularFile).sorted().toList().stream()
                    .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> read(f)));
        }
    }

    private static void read(Path file) throws CaptureException {
        String name = file.getFileName().toString();
        boolean broken = name.startsWith("fuzz-") || name.startsWith("badpackets");
        ReadBack.Capture c;
        try {
            c = ReadBack.read(file);
        } catch (CaptureException e) {
            if (broken) {
                return;   // refusing a broken file with a message is fine
            }
            throw e;
        }
        if (!broken) {
            assertThat(c.frames()).as("packets of %s (%s), warnings %s", name, c.format(), c.warnings()).isNotEmpty();
        }
    }

    /**
     * The corpus lies in {@code shared/} beside the repository, and the repository may be a git
     * worktree one level further down, so each folder above the working directory is tried. A
     * system property {@code fathom.corpus.ndpi} names it explicitly.
     */
    static Optional<Path> locate() {
        String explicit = System.getProperty("fathom.corpus.ndpi");
        if (explicit != null) {
            return Optional.of(Path.of(explicit)).filter(Files::isDirectory);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(CORPUS);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
