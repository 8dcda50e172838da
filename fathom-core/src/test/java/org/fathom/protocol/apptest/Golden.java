package org.fathom.protocol.apptest;

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

/** Runs the whole pipeline over a capture stored under the test resources {@code captures/}. */
public final class Golden {
    private Golden() {}

    public static List<FlowRecord> flows(String resource) throws Exception {
        return flows(path(resource));
    }

    /** Runs the whole pipeline over the capture file {@code p}. */
    public static List<FlowRecord> flows(Path p) throws Exception {
        List<FlowRecord> out = new ArrayList<>(org.fathom.testing.Analyze.flows(p));
        return out;
    }

    /** The first flow whose server port is {@code port}. */
    public static FlowRecord byServerPort(List<FlowRecord> flows, int port) {
        return flows.stream().filter(r -> r.dstPort() == port).findFirst()
                .orElseThrow(() -> new AssertionError("no flow to port " + port + " in " + flows));
    }

    private static Path path(String resource) throws IOException, URISyntaxException {
        var url = Golden.class.getResource("/captures/" + resource);
        if (url == null) {
            throw new IOException("missing test resource captures/" + resource);
        }
        return Path.of(url.toURI());
    }
}
