package org.fathom.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fathom.capture.CaptureWarning;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.CaptureResult;

/**
 * The run's warnings on standard error, whatever else is printed: -q silences the summary and the
 * progress line, never a warning. Inputs skipped and capture warnings of the same kind are
 * collapsed beyond a few ("1,000 inputs skipped: not a capture file (0 bytes), e.g. ...").
 */
final class Warnings {
    /** Warnings of one kind listed one by one up to this many; more become one line. */
    static final int LISTED = 3;

    private Warnings() {}

    /** @param skipped messages "PATH: reason" of inputs that were not read */
    static void print(PrintStream err, List<String> skipped, AnalysisSummary summary) {
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (String m : skipped) {
            byReason.computeIfAbsent(reason(m), k -> new ArrayList<>()).add(m);
        }
        for (Map.Entry<String, List<String>> e : byReason.entrySet()) {
            List<String> all = e.getValue();
            if (all.size() <= LISTED) {
                all.forEach(m -> err.println("fathom: " + m));
            } else {
                err.printf("fathom: %,d inputs skipped: %s (e.g. %s)%n", all.size(), e.getKey(), all.getFirst());
            }
        }
        Map<String, List<CaptureWarning>> byMessage = new LinkedHashMap<>();
        for (CaptureResult c : summary.captures) {
            for (CaptureWarning w : c.warnings()) {
                byMessage.computeIfAbsent(w.message(), k -> new ArrayList<>()).add(w);
            }
        }
        for (Map.Entry<String, List<CaptureWarning>> e : byMessage.entrySet()) {
            List<CaptureWarning> all = e.getValue();
            if (all.size() <= LISTED) {
                all.forEach(w -> err.println("fathom: warning: " + w + " (earlier packets were kept)"));
            } else {
                err.printf("fathom: warning: %,d times %s (earlier packets of each file were kept; e.g. %s)%n",
                        all.size(), e.getKey(), all.getFirst());
            }
        }
        err.flush();
    }

    /** "PATH: reason" -> "reason" (the text after the first ": " that follows the path). */
    static String reason(String message) {
        int i = message.lastIndexOf(": ");
        // a path may itself hold ": "; the reason is what follows the last one that is followed by text
        return i < 0 ? message : message.substring(i + 2);
    }
}
