package org.fathom.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.fathom.analysis.PacketAnalyzer;
import org.fathom.capture.Packet;
import org.fathom.capture.PacketSource;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.PacketDecoder;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.protocol.PassiveObserver;

/**
 * The data path, assembled once and run over any {@link PacketSource}: a capture file, a live
 * interface, a queue. Every command (analyze, live, inline) and every test builds it the same way:
 * {@code new Engine(options, workers, guard).run(source, summary, progress)}.
 *
 * <pre>
 *  source ─► dispatcher ─┬─► ring ─► worker 0: decode, flow table, classifier ─┐
 *  (reads,   (header      ├─► ring ─► worker 1                                  ├─► PrivacyGuard ─► sinks
 *   clock)    decode,     └─► ...                                              │
 *             analyzers) ───────────────────────────── calls, alerts ───────────┘
 * </pre>
 *
 * <p><b>One worker</b>: the source loop feeds the worker inline on the calling thread, with the
 * cross-flow analyzers; nothing is queued.
 *
 * <p><b>Several workers</b>: a dispatcher thread reads the source, decodes each frame's headers
 * and copies the frame once into the {@link PacketRing} (with the decoded headers, so the worker
 * need not decode it again)
 * of the worker that owns it: a symmetric hash of the unordered address pair and VLAN, so both
 * directions of a flow, and the related flows between the same two hosts (FTP control and data,
 * SIP and its media), meet in one worker. Cross-flow state is placed deliberately:
 * <ul>
 *   <li>the cross-flow analyzers (VoIP calls, attack detection) run on the dispatcher, which sees
 *       every packet in source order (headers, or the whole frame where an analyzer asks);</li>
 *   <li>frames a passive observer wants (DNS answers, which name the addresses of later flows) are
 *       handed to every worker, in order with its own frames, so each worker's name cache is the
 *       same as with one worker;</li>
 *   <li>time is the dispatcher's: each slot carries the source clock, and when the idle sweep is
 *       due the dispatcher hands every worker a tick, so flows expire at the same point whatever
 *       the number of workers.</li>
 * </ul>
 * So the set of records does not depend on the number of workers (tested on the corpus with 1, 2
 * and 3); their order does, as workers' records interleave at the exit.
 */
public final class Engine {
    private static final int PROGRESS_EVERY = 1 << 16;
    private static final int CHECK_EVERY = 1 << 12;

    private final AnalysisOptions options;
    private final int workers;
    private final PrivacyGuard exit;

    /**
     * @param options what to run (flow limits, dissectors, catalogs, cross-flow analyzers)
     * @param workers worker threads (flow-state shards), at least 1
     * @param exit    the privacy guard every record leaves through
     */
    public Engine(AnalysisOptions options, int workers, PrivacyGuard exit) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        this.options = options;
        this.workers = workers;
        this.exit = exit;
    }

    public AnalysisOptions options() {
        return options;
    }

    public int workers() {
        return workers;
    }

    /**
     * Runs the data path over {@code source} until it ends; every flow still open then ends as
     * {@code end_of_input} and the analyzers release what they hold. The caller closes the source.
     * Each run has its own flow tables: flows never span two runs (two capture files).
     */
    public CaptureResult run(PacketSource source, AnalysisSummary summary, Progress progress) {
        return workers == 1 ? runInline(source, summary, progress) : runDispatched(source, summary, progress);
    }

    private PacketAnalyzer[] analyzers() {
        List<PacketAnalyzer> l = new ArrayList<>();
        org.fathom.analysis.AnalysisEvents events = options.policy() == null ? null : options.policy().events(exit);
        for (PacketAnalyzer.Factory f : options.analyzers()) {
            PacketAnalyzer a = f.create(exit);
            if (events != null) {
                a.listen(events);
            }
            l.add(a);
        }
        return l.toArray(PacketAnalyzer[]::new);
    }

    private CaptureResult runInline(PacketSource source, AnalysisSummary summary, Progress progress) {
        Worker w = new Worker(0, options, options.flows().maxFlows(), exit, analyzers());
        source.readInPlace();   // the worker decodes each frame where it lies: no copy at all
        Packet p = new Packet();
        long frames = 0;
        long bytes = 0;
        while (true) {
            int r = source.read(p);
            if (r == PacketSource.END) {
                break;
            }
            if (r == PacketSource.IDLE) {
                w.tick(p.timestampNanos);
                continue;
            }
            frames++;
            bytes += p.wireLength;
            w.packet(p);
            if ((frames & (PROGRESS_EVERY - 1)) == 0) {
                progress.update(Path.of(source.name()), source.position(), source.size(), frames);
            }
        }
        w.finish();
        progress.update(Path.of(source.name()), source.size(), source.size(), frames);
        summary.merge(w.local);
        summary.evictedFlows += w.table.evicted();
        summary.peakFlows = Math.max(summary.peakFlows, w.table.peak());
        summary.fragments += w.decoder().reassembler().fragments;
        summary.reassembled += w.decoder().reassembler().reassembled;
        summary.droppedFragments += w.decoder().reassembler().droppedFragments + w.decoder().reassembler().pendingFragments();
        summary.decode.add(w.decoder().stats());
        return result(source, summary, frames, bytes, w.flows);
    }

    private static CaptureResult result(PacketSource source, AnalysisSummary summary, long frames, long bytes, long flows) {
        summary.packets += frames;
        summary.bytes += bytes;
        CaptureResult result = new CaptureResult(Path.of(source.name()), source.format(), frames, bytes, flows,
                List.copyOf(source.warnings()));
        summary.captures.add(result);
        return result;
    }

    private CaptureResult runDispatched(PacketSource source, AnalysisSummary summary, Progress progress) {
        int n = workers;
        int share = options.flows().maxFlows() / n;
        Worker[] ws = new Worker[n];
        PacketRing[] rings = new PacketRing[n];
        Thread[] threads = new Thread[n];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < n; i++) {
            Worker w = new Worker(i, options, share, exit, new PacketAnalyzer[0]);
            PacketRing ring = new PacketRing();
            ws[i] = w;
            rings[i] = ring;
            threads[i] = Thread.ofPlatform().name("fathom-worker-" + i).unstarted(() -> {
                try {
                    w.drain(ring);
                    w.finish();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    ring.consumerFailed();
                }
            });
        }
        Dispatcher d = new Dispatcher(source, rings, analyzers(), options, progress, failure);
        for (Thread t : threads) {
            t.start();
        }
        try {
            d.run();
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        } finally {
            d.end();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e != null) {
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException(e);
        }
        d.finishAnalyzers(exit);
        long flows = 0;
        int peak = 0;
        for (Worker w : ws) {
            summary.merge(w.local);
            summary.evictedFlows += w.table.evicted();
            flows += w.flows;
            peak += w.table.peak();
            if (!d.reassembles()) {
                summary.fragments += w.decoder().reassembler().fragments;
                summary.reassembled += w.decoder().reassembler().reassembled;
                summary.droppedFragments += w.decoder().reassembler().droppedFragments
                        + w.decoder().reassembler().pendingFragments();
            }
        }
        if (d.reassembles()) {
            // the dispatcher reassembled every fragment for the analyzers: it speaks for all workers
            PacketDecoder full = d.fullDecoder;
            summary.fragments += full.reassembler().fragments;
            summary.reassembled += full.reassembler().reassembled;
            summary.droppedFragments += full.reassembler().droppedFragments + full.reassembler().pendingFragments();
        }
        summary.peakFlows = Math.max(summary.peakFlows, peak);
        summary.decode.add(d.probe.stats());
        return result(source, summary, d.frames, d.bytes, flows);
    }

    /** Which of {@code workers} owns a decoded packet: symmetric in the two addresses. */
    static int owner(DecodedPacket d, int workers) {
        long a = d.srcLo ^ d.srcHi * 0x9E3779B97F4A7C15L;
        long b = d.dstLo ^ d.dstHi * 0x9E3779B97F4A7C15L;
        long h = (a ^ b) * 0xC2B2AE3D27D4EB4FL + (a + b) + d.vlan;
        h ^= h >>> 31;
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h >>> 33) % workers;   // a 31-bit int: an int remainder (a long one is a runtime call in C1 code)
    }

    /**
     * The dispatch stage: reads the source, decodes headers, runs the cross-flow analyzers over
     * every packet, and hands each frame to its owner's ring (and frames the observers want to
     * every ring). Runs on the thread that called {@link #run}.
     */
    private static final class Dispatcher {
        private final PacketSource source;
        private final PacketRing[] rings;
        private final PacketAnalyzer[] analyzers;
        private final PassiveObserver[] observers;
        private final Progress progress;
        /** A worker's failure: the dispatcher stops reading (checked every few thousand frames). */
        private final AtomicReference<Throwable> failure;
        final PacketDecoder probe = PacketDecoder.headersOnly();
        /** Whole-frame decoder for the analyzers (SIP payloads, fragments to reassemble). */
        final PacketDecoder fullDecoder = new PacketDecoder();
        private final DecodedPacket headers = new DecodedPacket();
        private final DecodedPacket whole = new DecodedPacket();
        private final Packet packet = new Packet();
        long frames;
        long bytes;
        // the capture clock, advanced exactly as FlowTable.tick advances it
        private long now = Long.MIN_VALUE;
        private long nextSweep = Long.MIN_VALUE;
        private boolean ended;

        Dispatcher(PacketSource source, PacketRing[] rings, PacketAnalyzer[] analyzers, AnalysisOptions options,
                   Progress progress, AtomicReference<Throwable> failure) {
            this.failure = failure;
            this.source = source;
            this.rings = rings;
            this.analyzers = analyzers;
            this.observers = options.protocols().observers().toArray(new PassiveObserver[0]);
            // every frame is decoded from where it lies and copied once, into its owner's ring
            source.readInPlace();
            this.progress = progress;
        }

        boolean reassembles() {
            return analyzers.length > 0;
        }

        /** Advances the clock to {@code ts}; true when the idle sweep is due (FlowTable's rule). */
        private boolean advance(long ts) {
            if (ts > now) {
                now = ts;
            }
            if (now >= nextSweep) {
                nextSweep = now + 1_000_000_000L;
                return true;
            }
            return false;
        }

        void run() {
            PacketSource in = source;
            PacketRing[] rs = rings;
            int n = rs.length;
            Packet p = packet;
            DecodedPacket h = headers;
            boolean analyzing = analyzers.length > 0;
            // whole frames, read in place (see the constructor): their one copy is into a ring
            while (true) {
                int read = in.read(p);
                if (read == PacketSource.END) {
                    break;
                }
                if (read == PacketSource.IDLE) {
                    if (failure.get() != null) {
                        return;
                    }
                    if (advance(p.timestampNanos)) {
                        tickAll(-1);
                    }
                    for (PacketRing r : rs) {
                        r.publish();
                    }
                    continue;
                }
                frames++;
                bytes += p.wireLength;
                int r = probe.decode(p, h);
                if (r != PacketDecoder.OK && r != PacketDecoder.FRAGMENT && p.length < p.frameLength) {
                    in.complete(p); // headers longer than the prefix: look at the whole frame
                    r = probe.decode(p, h);
                }
                if (r == PacketDecoder.OK || r == PacketDecoder.FRAGMENT) {
                    int owner = owner(h, n);
                    boolean sweep = r == PacketDecoder.OK && advance(h.timestampNanos);
                    if (analyzing) {
                        sweep |= analyze(p, h, r);
                    }
                    if (sweep) {
                        tickAll(owner);
                    }
                    if (!hand(owner, PacketRing.PACKET, p, r == PacketDecoder.OK && p.length == p.frameLength ? h : null)) {
                        return;
                    }
                    if (observerWants(h)) {
                        for (int k = 0; k < n; k++) {
                            if (k != owner && !hand(k, PacketRing.OBSERVE, p, null)) {
                                return;
                            }
                        }
                    }
                }
                if ((frames & (CHECK_EVERY - 1)) == 0) {
                    if (failure.get() != null) {
                        return; // a worker died: stop reading, the run reports its failure
                    }
                    if ((frames & (PROGRESS_EVERY - 1)) == 0) {
                        progress.update(Path.of(in.name()), in.position(), in.size(), frames);
                    }
                }
            }
            progress.update(Path.of(in.name()), in.size(), in.size(), frames);
        }

        /** Runs the analyzers over one packet; true when a reassembled datagram made the sweep due. */
        private boolean analyze(Packet p, DecodedPacket h, int r) {
            PacketAnalyzer[] as = analyzers;
            // the headers' decode serves when it is the packet's: a whole frame (file sources
            // always), or a prefix whose payload no analyzer wants
            if (r == PacketDecoder.OK && (p.length == p.frameLength || !payloadWanted(h))) {
                for (PacketAnalyzer a : as) {
                    a.onPacket(h);
                }
                return false;
            }
            // a fragment to reassemble, or a prefix whose payload is wanted: the whole frame
            source.complete(p);
            DecodedPacket d = whole;
            int full = fullDecoder.decode(p, d);
            if (full == PacketDecoder.FRAGMENT) {
                for (PacketAnalyzer a : as) {
                    a.onFragment(d);
                }
                return false;
            }
            if (full == PacketDecoder.OK) {
                for (PacketAnalyzer a : as) {
                    a.onPacket(d);
                }
                return r == PacketDecoder.FRAGMENT && advance(d.timestampNanos);
            }
            return false;
        }

        private boolean payloadWanted(DecodedPacket h) {
            for (PacketAnalyzer a : analyzers) {
                if (a.needsPayload(h)) {
                    return true;
                }
            }
            return false;
        }

        private boolean observerWants(DecodedPacket h) {
            for (PassiveObserver o : observers) {
                if (o.wants(h)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Copies the frame into owner {@code k}'s ring. With {@code decoded} (a whole frame that is
         * not a fragment, whose headers the dispatcher decoded), the slot carries the decoded
         * headers too, so the worker need not decode it again.
         */
        private boolean hand(int k, int kind, Packet p, DecodedPacket decoded) {
            PacketRing ring = rings[k];
            int len = p.frameLength;
            int at = ring.claim(len);
            if (at < 0) {
                return false;
            }
            source.copyFrame(p, ring.arena, at);
            if (decoded != null) {
                ring.commitDecoded(at, p, len, now, decoded);
            } else {
                ring.commit(kind, at, p, len, now);
            }
            return true;
        }

        private void tickAll(int except) {
            for (int k = 0; k < rings.length; k++) {
                if (k != except) {
                    rings[k].signal(PacketRing.TICK, now);
                }
            }
        }

        /** Tells every worker the source has ended (also after a failure, so none waits forever). */
        void end() {
            if (ended) {
                return;
            }
            ended = true;
            for (PacketRing r : rings) {
                r.signal(PacketRing.END, now);
            }
        }

        void finishAnalyzers(PrivacyGuard exit) {
            for (PacketAnalyzer a : analyzers) {
                a.finish(exit);
            }
        }
    }
}
