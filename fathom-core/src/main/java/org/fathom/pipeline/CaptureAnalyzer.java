package org.fathom.pipeline;

import java.util.List;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.Packet;
import org.fathom.decode.DecodeStats;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.PacketDecoder;
import org.fathom.flow.FlowEnd;
import org.fathom.flow.FlowTable;
import org.fathom.protocol.Classification;
import org.fathom.protocol.Classifier;
import org.fathom.record.FlowRecord;
import org.fathom.record.RecordExit;

/**
 * Runs the data path for capture files on one thread: read, decode, account to flows, and hand
 * every finished flow to the {@link RecordExit}. Each capture gets its own flow table: flows never
 * span two files.
 */
public final class CaptureAnalyzer {
    private static final int PROGRESS_EVERY = 1 << 16;

    private final AnalysisOptions options;
    private final Packet packet = new Packet();
    private final DecodedPacket decoded = new DecodedPacket();

    public CaptureAnalyzer(AnalysisOptions options) {
        this.options = options;
    }

    /** Reads {@code reader} to its end; the caller closes it. */
    public CaptureResult analyze(CaptureReader reader, RecordExit exit, AnalysisSummary summary, Progress progress) {
        PacketDecoder decoder = new PacketDecoder();
        Classifier classifier = new Classifier(options.protocols(), options.services(), options.addresses());
        long[] flows = {0};
        FlowTable table = new FlowTable(options.flows(), (t, f, reason) -> {
            FlowRecord r = export(t, f, reason, classifier.finish(t, f));
            flows[0]++;
            summary.add(r);
            exit.emit(r);
        });
        long frames = 0;
        long bytes = 0;
        while (reader.next(packet)) {
            frames++;
            bytes += packet.wireLength;
            if (decoder.decode(packet, decoded) == PacketDecoder.OK) {
                int f = table.update(decoded);
                classifier.onPacket(table, f, decoded);
            }
            if ((frames & (PROGRESS_EVERY - 1)) == 0) {
                progress.update(reader.file(), reader.position(), reader.size(), frames);
            }
        }
        table.flush();
        progress.update(reader.file(), reader.size(), reader.size(), frames);
        DecodeStats ds = decoder.stats();
        summary.decode.add(ds);
        summary.packets += frames;
        summary.bytes += bytes;
        summary.evictedFlows += table.evicted();
        summary.peakFlows = Math.max(summary.peakFlows, table.peak());
        summary.fragments += decoder.reassembler().fragments;
        summary.reassembled += decoder.reassembler().reassembled;
        summary.droppedFragments += decoder.reassembler().droppedFragments + decoder.reassembler().inProgress();
        CaptureResult result = new CaptureResult(reader.file(), reader.format(), frames, bytes, flows[0],
                List.copyOf(reader.warnings()));
        summary.captures.add(result);
        return result;
    }

    private static FlowRecord export(FlowTable t, int f, FlowEnd reason, Classification c) {
        return FlowRecordFactory.build(t, f, reason, c.protocol(), c.application(), c.category(), c.confidence(),
                c.metadata(), c.risks());
    }
}
