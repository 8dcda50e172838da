package org.fathom.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs tshark over a capture for tests that compare with it; null when tshark is not installed. */
final class Tshark {
    private Tshark() {}

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/tshark"));
    }

    /** The rows of {@code tshark -r FILE -Y FILTER -T fields -e F...} (columns split on '|'), or null without tshark. */
    static List<String[]> fields(Path capture, String filter, String... fields) throws IOException, InterruptedException {
        return fields(capture, List.of(), filter, fields);
    }

    /** As {@link #fields(Path, String, String...)} with more options first (e.g. {@code -d tcp.port==N,nbss}). */
    static List<String[]> fields(Path capture, List<String> options, String filter, String... fields) throws IOException, InterruptedException {
        if (!available()) {
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/tshark", "-n", "-r", capture.toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-Y", filter, "-T", "fields", "-E", "separator=|", "-o", "tcp.relative_sequence_numbers:TRUE"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("tshark failed on " + capture);
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                rows.add(line.split("\\|", -1));
            }
        }
        return rows;
    }
}
