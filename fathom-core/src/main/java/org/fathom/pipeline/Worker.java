package org.fathom.pipeline;

import org.fathom.lifecycle.FlowEvents;
import org.fathom.analysis.PacketAnalyzer;
import org.fathom.capture.Packet;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.PacketDecoder;
import org.fathom.flow.FlowEnd;
import org.fathom.flow.FlowTable;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.protocol.Classification;
import org.fathom.protocol.Classifier;
import org.fathom.record.EventRecord;
import org.fathom.record.FlowRecord;
import org.fathom.decode.IpProtocol;
import org.fathom.flow.TcpHealth;
import org.fathom.privacy.FlowIds;

/**
 * One shard of the flow state: its own decoder (with IP reassembly), flow table and classifier.
 * The same worker serves every source and every threading: fed inline by the source loop when
 * there is one worker, or from its {@link PacketRing} by the dispatcher when there are several.
 * Not thread-safe: one thread drives a worker.
 */
final class Worker {
    private final PrivacyGuard exit;
    private final DecodedPacket decoded = new DecodedPacket();
    private final PacketDecoder decoder = new PacketDecoder();
    private final Classifier classifier;
    final FlowTable table;
    final AnalysisSummary local = new AnalysisSummary();
    /** Cross-flow analyzers run here only when this worker is fed inline (one worker, no dispatcher). */
    private final PacketAnalyzer[] analyzers;
    long flows;

    /** TCP traffic issues of this worker's flows (retransmissions, RTT, resets), published with each record. */
    private final TcpHealth tcp = new TcpHealth();
    /** The keyed {@code flow_id} of records and events. */
    private final FlowIds flowIds;
    /** Whether records leave at all: a summary-only run needs no keyed flow ids. */
    private final boolean flowIdsWanted;

    /** Listeners to the flow lifecycle; empty in most runs, so each event costs a length test. */
    private final FlowEvents[] events;
    /** This worker's part of the policy, or null without one. */
    private final org.fathom.policy.PolicyShard policy;

    Worker(int index, AnalysisOptions options, int share, PrivacyGuard exit, PacketAnalyzer[] inlineAnalyzers) {
        this.exit = exit;
        this.events = options.flowEvents().stream().map(f -> f.create(index)).toArray(FlowEvents[]::new);
        this.policy = options.policy() == null ? null : options.policy().shard(index, exit);
        this.classifier = new Classifier(options.protocols(), options.services(), options.addresses());
        this.analyzers = inlineAnalyzers;
        this.flowIds = exit.flowIds();
        this.flowIdsWanted = exit.releasesFlows() || exit.eventsWanted();
        if (exit.eventsWanted()) {
            classifier.transactions(this::transaction);   // only then do dissectors build events
        }
        this.table = new FlowTable(options.flows().withMaxFlows(Math.max(1, share)), new FlowTable.Listener() {
            @Override
            public void flowEnded(FlowTable t, int f, FlowEnd reason) {
                Worker.this.flowEnded(t, f, reason);
            }

            @Override
            public void flowActive(FlowTable t, int f) {
                Worker.this.flowActive(t, f);
            }

            @Override
            public void endsSoon(FlowTable t, int f) {
                classifier.touch(t, f);
            }
        });
    }

    PacketDecoder decoder() {
        return decoder;
    }

    /** The flow's keyed id ({@code flow_id}), the same for its records and events. */
    private String flowId(FlowTable t, int f) {
        return flowIds.of(t.l4(f), t.addrHi(f, true), t.addrLo(f, true), t.port(f, true),
                t.addrHi(f, false), t.addrLo(f, false), t.port(f, false), t.vlan(f), t.firstSeen(f));
    }

    /** Flow-level additions at the cold edge: the flow id first, then the TCP traffic issues. */
    private void annotate(FlowTable t, int f, java.util.LinkedHashMap<String, Object> meta) {
        if (flowIdsWanted) {
            meta.putFirst("flow_id", flowId(t, f));
        }
        if (t.l4(f) == IpProtocol.TCP) {
            tcp.publish(f, t.clientIsB(f), meta);
        }
    }

    /** A transaction a dissector reported (only when some output takes events). */
    private void transaction(int f, long nanos, String event, java.util.Map<String, Object> fields) {
        FlowTable t = table;
        exit.emitEvent(new EventRecord(event, flowId(t, f), t.firstSeen(f), nanos, IpProtocol.name(t.l4(f)),
                t.addrHi(f, true), t.addrLo(f, true), t.port(f, true),
                t.addrHi(f, false), t.addrLo(f, false), t.port(f, false), t.vlan(f), fields));
    }

    private void flowEnded(FlowTable t, int f, FlowEnd reason) {
        Classification c = classifier.finish(t, f);
        annotate(t, f, c.metadata());
        if (policy != null) {
            policy.annotate(t, f, c, true);
        }
        FlowRecord r = FlowRecordFactory.build(t, f, reason, c.protocol(), c.application(), c.category(),
                c.confidence(), c.metadata(), c.risks());
        flows++;
        local.add(r);
        for (FlowEvents e : events) {
            e.ended(t, f, reason);
        }
        if (policy != null) {
            policy.ended(t, f, reason);
        }
        exit.emit(r);
    }

    /** An interim record of a flow that lives on (active timeout): counted as traffic, not as a flow. */
    private void flowActive(FlowTable t, int f) {
        Classification c = classifier.verdict(t, f);
        annotate(t, f, c.metadata());
        if (policy != null) {
            policy.annotate(t, f, c, false);
        }
        FlowRecord r = FlowRecordFactory.build(t, f, FlowEnd.ACTIVE, c.protocol(), c.application(), c.category(),
                c.confidence(), c.metadata(), c.risks());
        local.add(r);
        exit.emit(r);
    }

    /** A frame this worker owns: decode it whole, account it to its flow, classify. */
    void packet(Packet p) {
        DecodedPacket d = decoded;
        int r = decoder.decode(p, d);
        if (r == PacketDecoder.OK) {
            accept(d);
        } else if (r == PacketDecoder.FRAGMENT) {
            for (PacketAnalyzer a : analyzers) {
                a.onFragment(d);
            }
        }
    }

    /** A decoded packet this worker owns (a whole datagram): account it to its flow, classify. */
    private void accept(DecodedPacket d) {
        classifier.observe(d);
        for (PacketAnalyzer a : analyzers) {
            a.onPacket(d);
        }
        long created = table.created();
        int f = table.update(d);
        boolean isNew = table.created() != created;
        if (d.l4 == IpProtocol.TCP) {
            if (isNew) {
                tcp.reset(f);
            }
            tcp.packet(f, table.lastFromA(), d);
        }
        if (events.length == 0 && policy == null) {
            classifier.onPacket(table, f, d);
        } else {
            if (isNew) {
                if (policy != null) {
                    policy.started(table, f);
                }
                for (FlowEvents e : events) {
                    e.started(table, f);
                }
            }
            if (classifier.onPacket(table, f, d)) {
                boolean forPolicy = policy != null && policy.undecided(f);
                if (forPolicy || events.length > 0) {   // the verdict is a copy: only when someone listens
                    Classification c = classifier.verdict(table, f);
                    if (forPolicy) {
                        policy.classified(table, f, c);
                    }
                    for (FlowEvents e : events) {
                        e.classified(table, f, c);
                    }
                }
            }
            if (policy != null) {
                policy.packet(table, f, d, classifier);   // the verdict this packet would get (dry run), counted
            }
        }
    }

    /**
     * A frame another worker owns, handed here because this worker's passive observers want it (a
     * DNS answer names addresses that may start flows here): observed, not accounted.
     */
    void observe(Packet p) {
        DecodedPacket d = decoded;
        if (decoder.decode(p, d) == PacketDecoder.OK) {
            classifier.observe(d);
            table.tick(d.timestampNanos);
        }
    }

    /** Capture (or wall) time has reached {@code now}: flows idle past their timeout end. */
    void tick(long now) {
        table.tick(now);
    }

    /** The source has ended: every open flow ends, then the inline analyzers release what they hold. */
    void finish() {
        table.flush();
        for (PacketAnalyzer a : analyzers) {
            a.finish(exit);
        }
        if (policy != null) {
            policy.finish();
        }
    }

    /** Feeds this worker from its ring until the dispatcher says the source has ended. */
    void drain(PacketRing ring) {
        Packet view = new Packet(ring.arena);
        while (true) {
            int k = ring.take(view, decoded);
            if (k == PacketRing.END) {
                ring.release();
                return;
            }
            table.tick(ring.clock());
            if (k == (PacketRing.PACKET | PacketRing.DECODED)) {
                accept(decoded);   // the dispatcher decoded the headers: no second decode
            } else if (k == PacketRing.PACKET) {
                packet(view);
            } else if (k == PacketRing.OBSERVE) {
                observe(view);
            }
            ring.release();
        }
    }
}
