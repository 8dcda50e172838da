package org.fathom.protocol.samples;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.CaptureAnalyzer;
import org.fathom.pipeline.Progress;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;

/** Runs the whole pipeline over a capture of the test resources and returns its flow records. */
public final class Golden {
    private Golden() {}

    public static List<FlowRecord> analyze(String resource) throws Exception {
        Path p = path(resource);
        List<FlowRecord> out = new ArrayList<>(org.fathom.testing.Analyze.flows(p));
        return out;
    }

    private static Path path(String resource) throws URISyntaxException {
        var url = Golden.class.getResource(resource);
        if (url == null) {
            throw new AssertionError("missing test resource " + resource);
        }
        return Path.of(url.toURI());
    }
}
