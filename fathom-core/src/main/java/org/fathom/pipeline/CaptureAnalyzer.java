package org.fathom.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.fathom.analysis.PacketAnalyzer;
import org.fathom.capture.CaptureException;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.Packet;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.PacketDecoder;
import org.fathom.flow.FlowEnd;
import org.fathom.flow.FlowTable;
import org.fathom.protocol.Classification;
import org.fathom.protocol.Classifier;
import org.fathom.record.FlowRecord;
import org.fathom.privacy.PrivacyGuard;

/**
 * Runs the data path over capture files: read, decode, account to flows, classify, and hand every
 * finished flow to the {@link PrivacyGuard}, the only exit. Each capture gets its own flow tables: flows never span
 * two files.
 *
 * <p>With several workers, every worker walks the whole (memory-mapped, shared) file and decodes
 * each packet's headers, but keeps flow state only for the packets it owns: ownership is a
 * symmetric hash of the unordered address pair and VLAN, so both directions of a flow, and the
 * related flows between the same two hosts (FTP control and data, say), meet in one worker. No
 * packet crosses threads, nothing is queued or allocated for hand-off, and what any flow sees does
 * not depend on the number of workers. Records of different workers interleave at the exit.
 */
public final class CaptureAnalyzer {
    private static final int PROGRESS_EVERY = 1 << 16;

    private final AnalysisOptions options;

    public CaptureAnalyzer(AnalysisOptions options) {
        this.options = options;
    }

    /** Reads {@code reader} to its end on the calling thread; the caller closes it. */
    public CaptureResult analyze(CaptureReader reader, PrivacyGuard exit, AnalysisSummary summary, Progress progress) {
        Worker w = new Worker(0, 1, reader, exit, options, progress);
        w.run();
        summary.peakFlows = Math.max(summary.peakFlows, w.table.peak());
        return w.finish(summary, reader);
    }

    /**
     * Reads {@code file} with {@code workers} threads (each maps the file itself).
     *
     * @throws CaptureException when the file cannot be opened as a capture
     */
    public CaptureResult analyze(Path file, int workers, PrivacyGuard exit, AnalysisSummary summary, Progress progress)
            throws CaptureException {
        if (workers <= 1) {
            try (CaptureReader r = CaptureFiles.open(file)) {
                return analyze(r, exit, summary, progress);
            }
        }
        List<CaptureReader> readers = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) {
                readers.add(CaptureFiles.open(file));
            }
            List<Worker> ws = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int i = 0; i < workers; i++) {
                Worker w = new Worker(i, workers, readers.get(i), exit, options, i == 0 ? progress : Progress.NONE);
                ws.add(w);
                Thread t = Thread.ofPlatform().name("fathom-worker-" + i).unstarted(() -> {
                    try {
                        w.run();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                Throwable e = failure.get();
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                if (e instanceof Error er) {
                    throw er;
                }
                throw new IllegalStateException(e);
            }
            CaptureResult result = null;
            for (int i = 0; i < workers; i++) {
                CaptureResult r = ws.get(i).finish(summary, readers.get(i));
                if (i == 0) {
                    result = r;
                }
            }
            long flows = 0;
            int peak = 0;
            for (Worker w : ws) {
                flows += w.flows;
                peak += w.table.peak();
            }
            summary.peakFlows = Math.max(summary.peakFlows, peak);
            // the capture's entry counts every worker's flows
            summary.captures.set(summary.captures.size() - 1, new CaptureResult(result.file(), result.format(),
                    result.frames(), result.bytes(), flows, result.warnings()));
            return summary.captures.getLast();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            for (CaptureReader r : readers) {
                r.close();
            }
        }
    }

    /** Which of {@code workers} owns a decoded packet: symmetric in the two addresses. */
    static int owner(DecodedPacket d, int workers) {
        long a = d.srcLo ^ d.srcHi * 0x9E3779B97F4A7C15L;
        long b = d.dstLo ^ d.dstHi * 0x9E3779B97F4A7C15L;
        long h = (a ^ b) * 0xC2B2AE3D27D4EB4FL + (a + b) + d.vlan;
        h ^= h >>> 31;
        h *= 0x9E3779B97F4A7C15L;
        return (int) ((h >>> 33) % workers);
    }

    /** One thread's share of a capture: its own decoder, flow table and classifier. */
    private static final class Worker implements Runnable {
        private final int index;
        private final int workers;
        private final CaptureReader reader;
        private final PrivacyGuard exit;
        private final Progress progress;
        private final Packet packet = new Packet();
        private final DecodedPacket decoded = new DecodedPacket();
        private final PacketDecoder decoder = new PacketDecoder();
        private final PacketDecoder headerDecoder = PacketDecoder.headersOnly();
        private final DecodedPacket headers = new DecodedPacket();
        private final Classifier classifier;
        private final FlowTable table;
        private final AnalysisSummary local = new AnalysisSummary();
        /**
         * Cross-flow analyzers: analyzer k runs in worker k mod N, over every packet (each worker
         * walks every packet anyway), so that their cost is spread over the workers.
         */
        private final PacketAnalyzer[] analyzers;
        private final boolean analyzersPresent;
        long flows;
        long frames;
        long bytes;

        Worker(int index, int workers, CaptureReader reader, PrivacyGuard exit, AnalysisOptions options, Progress progress) {
            this.index = index;
            this.workers = workers;
            this.reader = reader;
            this.exit = exit;
            this.progress = progress;
            this.classifier = new Classifier(options.protocols(), options.services(), options.addresses());
            this.analyzersPresent = !options.analyzers().isEmpty();
            List<PacketAnalyzer> mine = new ArrayList<>();
            for (int k = 0; k < options.analyzers().size(); k++) {
                if (k % workers == index) {
                    mine.add(options.analyzers().get(k).create(exit));
                }
            }
            this.analyzers = mine.toArray(PacketAnalyzer[]::new);
            int share = Math.max(1, options.flows().maxFlows() / workers);
            this.table = new FlowTable(options.flows().withMaxFlows(share), this::flowEnded);
        }

        private void flowEnded(FlowTable t, int f, FlowEnd reason) {
            Classification c = classifier.finish(t, f);
            FlowRecord r = FlowRecordFactory.build(t, f, reason, c.protocol(), c.application(), c.category(),
                    c.confidence(), c.metadata(), c.risks());
            flows++;
            local.add(r);
            exit.emit(r);
        }

        @Override
        public void run() {
            CaptureReader in = reader;
            if (workers == 1) {
                runAlone(in);
            } else {
                runShared(in);
            }
            table.flush();
            for (PacketAnalyzer a : analyzers) {
                a.finish(exit);
            }
            progress.update(in.file(), in.size(), in.size(), frames);
        }

        /** The only worker: every packet is decoded whole and is its own. */
        private void runAlone(CaptureReader in) {
            PacketDecoder dec = decoder;
            DecodedPacket d = decoded;
            Packet p = packet;
            while (in.next(p)) {
                frames++;
                bytes += p.wireLength;
                int r = dec.decode(p, d);
                if (r == PacketDecoder.OK) {
                    classifier.observe(d);
                    for (PacketAnalyzer a : analyzers) {
                        a.onPacket(d);
                    }
                    int f = table.update(d);
                    classifier.onPacket(table, f, d);
                } else if (r == PacketDecoder.FRAGMENT) {
                    for (PacketAnalyzer a : analyzers) {
                        a.onFragment(d);
                    }
                }
                if ((frames & (PROGRESS_EVERY - 1)) == 0) {
                    progress.update(in.file(), in.position(), in.size(), frames);
                }
            }
        }

        /**
         * One of several workers: each frame's first {@link PacketAnalyzer#HEADER_BYTES} bytes are
         * decoded to find its owner; the whole frame is copied and decoded only when this worker
         * owns it, or when an observer (DNS answers) or one of this worker's analyzers needs its payload.
         * A frame the prefix held whole is not decoded a second time.
         */
        private void runShared(CaptureReader in) {
            PacketDecoder dec = decoder;
            PacketDecoder probe = headerDecoder;
            DecodedPacket wholeFrame = decoded;
            DecodedPacket h = headers;
            Packet p = packet;
            int n = workers;
            in.copyPrefixOnly(PacketAnalyzer.HEADER_BYTES);
            while (in.next(p)) {
                frames++;
                bytes += p.wireLength;
                int r = probe.decode(p, h);
                if (r != PacketDecoder.OK && r != PacketDecoder.FRAGMENT && p.length < p.frameLength) {
                    in.complete(p); // headers longer than the prefix: look at the whole frame
                    r = probe.decode(p, h);
                }
                if (r == PacketDecoder.OK || r == PacketDecoder.FRAGMENT) {
                    boolean mine = owner(h, n) == index;
                    boolean whole = mine || classifier.observerWants(h) || analyzersWant(h, r);
                    if (whole) {
                        DecodedPacket d = h;
                        int full = r;
                        if (p.length < p.frameLength || r == PacketDecoder.FRAGMENT) {
                            // the prefix was not the whole frame, or a fragment is to be reassembled
                            in.complete(p);
                            d = wholeFrame;
                            full = dec.decode(p, d);
                        }
                        if (full == PacketDecoder.FRAGMENT) {
                            for (PacketAnalyzer a : analyzers) {
                                a.onFragment(d);
                            }
                        }
                        if (full == PacketDecoder.OK) {
                            classifier.observe(d);
                            for (PacketAnalyzer a : analyzers) {
                                a.onPacket(d);
                            }
                            if (mine) {
                                int f = table.update(d);
                                classifier.onPacket(table, f, d);
                            } else {
                                table.tick(d.timestampNanos);
                            }
                        }
                    } else if (r == PacketDecoder.OK) {
                        for (PacketAnalyzer a : analyzers) {
                            a.onPacket(h);
                        }
                        table.tick(h.timestampNanos);
                    }
                }
                if ((frames & (PROGRESS_EVERY - 1)) == 0) {
                    progress.update(in.file(), in.position(), in.size(), frames);
                }
            }
        }

        private boolean analyzersWant(DecodedPacket h, int result) {
            for (PacketAnalyzer a : analyzers) {
                // fragments must be reassembled for the analyzers to see the datagram
                if (result == PacketDecoder.FRAGMENT || a.needsPayload(h)) {
                    return true;
                }
            }
            return false;
        }

        /** Adds this worker's counts to {@code summary}; only worker 0 counts what every worker saw. */
        CaptureResult finish(AnalysisSummary summary, CaptureReader r) {
            summary.merge(local);
            summary.evictedFlows += table.evicted();
            // each worker reassembles the fragments it owns; a worker with analyzers (worker 0 is
            // always one of them) reassembles all of them, and then worker 0 speaks for every worker
            if (index == 0 || !analyzersPresent) {
                summary.fragments += decoder.reassembler().fragments;
                summary.reassembled += decoder.reassembler().reassembled;
                summary.droppedFragments += decoder.reassembler().droppedFragments + decoder.reassembler().pendingFragments();
            }
            if (index != 0) {
                return null;
            }
            summary.decode.add(workers == 1 ? decoder.stats() : headerDecoder.stats());
            summary.packets += frames;
            summary.bytes += bytes;
            CaptureResult result = new CaptureResult(r.file(), r.format(), frames, bytes, flows, List.copyOf(r.warnings()));
            summary.captures.add(result);
            return result;
        }
    }
}
