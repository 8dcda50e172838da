package org.fathom.protocol.dns;

import java.util.List;
import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.PendingTransactions;
import org.fathom.protocol.Risk;

/**
 * DNS (RFC 1035) over UDP and TCP, and the protocols that share its message format: mDNS
 * (RFC 6762, UDP 5353, nDPI's {@code MDNS}) and LLMNR (RFC 4795, UDP 5355). One class, three
 * registrations ({@link #dns()}, {@link #mdns()}, {@link #llmnr()}).
 *
 * <p>Metadata: {@code dns.query} and {@code dns.qtype} of the first question, {@code dns.rcode}
 * and {@code dns.answers} (addresses and aliases, capped) of the first response. The query name is
 * the flow's host; A/AAAA answers are learnt for it. A flow whose first packet is a response is
 * turned round (its sender is the server). A response code other than NOERROR raises
 * {@link Risk#DNS_ERROR}.
 *
 * <p>On its own port a message needs a sound header and question; elsewhere (DNS only) it must
 * also parse to its last byte with one question, a zero Z bit and, for a query, no records but an
 * optional OPT: plain DNS on an odd port is common, and so are binary protocols that look like it.
 */
public final class DnsDissector implements Dissector {
    private static final int UDP = 17;

    private final Descriptor descriptor;
    private final int port;
    private final boolean anyPort;

    private DnsDissector(Descriptor descriptor, int port, boolean anyPort) {
        this.descriptor = descriptor;
        this.port = port;
        this.anyPort = anyPort;
    }

    public static DnsDissector dns() {
        return new DnsDissector(Descriptor.both("DNS", "Network", new int[] {53}, new int[] {53}).withProbeDepth(4), 53, true);
    }

    public static DnsDissector mdns() {
        return new DnsDissector(Descriptor.udp("MDNS", "Network", 5353).withProbeDepth(4), 5353, false);
    }

    public static DnsDissector llmnr() {
        return new DnsDissector(Descriptor.udp("LLMNR", "Network", 5355).withProbeDepth(4), 5355, false);
    }

    /** Queries waiting for an answer, per flow, at most (events path). */
    static final int MAX_PENDING = 16;

    /**
     * Per-flow state of DNS over UDP: the first query's time and id (for {@code dns.response_ms}),
     * and with events the queries not answered yet.
     */
    static class UdpState implements PendingTransactions {
        long firstQueryNanos;
        int firstQueryId = -1;
        boolean answered;
        // events path: pending queries (id, time, name, type)
        int[] ids;
        long[] times;
        String[] names;
        String[] types;
        int pending;

        void query(FlowContext ctx, DnsMessage m) {
            if (firstQueryId < 0) {
                firstQueryId = m.id;
                firstQueryNanos = ctx.timestampNanos();
            }
            if (!ctx.transactions()) {
                return;
            }
            if (ids == null) {
                ids = new int[MAX_PENDING];
                times = new long[MAX_PENDING];
                names = new String[MAX_PENDING];
                types = new String[MAX_PENDING];
            }
            if (pending == MAX_PENDING) {
                emitQuery(ctx, 0);   // the oldest goes out unanswered
                remove(0);
            }
            ids[pending] = m.id;
            times[pending] = ctx.timestampNanos();
            names[pending] = m.qname;
            types[pending] = DnsMessage.typeName(m.qtype);
            pending++;
        }

        /** The time of the query {@code id} answered now, or 0; removes it from the pending ones. */
        long answer(int id) {
            for (int i = 0; i < pending; i++) {
                if (ids[i] == id) {
                    long t = times[i];
                    remove(i);
                    return t;
                }
            }
            return 0;
        }

        private void remove(int i) {
            System.arraycopy(ids, i + 1, ids, i, pending - i - 1);
            System.arraycopy(times, i + 1, times, i, pending - i - 1);
            System.arraycopy(names, i + 1, names, i, pending - i - 1);
            System.arraycopy(types, i + 1, types, i, pending - i - 1);
            pending--;
            names[pending] = null;
            types[pending] = null;
        }

        private void emitQuery(FlowContext ctx, int i) {
            java.util.LinkedHashMap<String, Object> e = new java.util.LinkedHashMap<>();
            e.put(Registration.DNS_MESSAGE.key(), "query");
            e.put(Registration.DNS_ID.key(), (long) ids[i]);
            e.put(Registration.DNS_QUERY.key(), names[i]);
            e.put(Registration.DNS_QTYPE.key(), types[i]);
            e.put(Registration.DNS_NO_ANSWER.key(), Boolean.TRUE);
            ctx.transaction("dns", e);
        }

        @Override
        public void flush(FlowContext ctx) {
            for (int i = 0; i < pending; i++) {
                emitQuery(ctx, i);
            }
            pending = 0;
        }
    }

    /** Per-flow state of DNS over TCP. */
    static final class TcpState extends UdpState {
        final DnsTcpFramer toServer = new DnsTcpFramer();
        final DnsTcpFramer toClient = new DnsTcpFramer();
        boolean matched;
        boolean failed;
        boolean done;
    }

    @Override
    public Descriptor descriptor() {
        return descriptor;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        boolean standard = ctx.clientPort() == port || ctx.serverPort() == port;
        if ((!standard && !anyPort) || ctx.serverPort() == 137 || ctx.clientPort() == 137) {
            return NO; // port 137 carries the NetBIOS name service, in DNS's format
        }
        if (ctx.l4() == UDP) {
            boolean matched = ctx.state() != null;
            if (!matched && !DnsMessage.plausibleHeader(buf, off, len)) {
                return NO;
            }
            DnsMessage m = DnsMessage.parse(buf, off, len);
            if (m == null || (!standard && !strict(m, len))) {
                return matched ? MATCH : NO;
            }
            if (!matched) {
                ctx.setState(new UdpState());
            }
            return onMessage(ctx, (UdpState) ctx.state(), m, fromClient, !matched);
        }
        TcpState st = (TcpState) ctx.state();
        if (st == null) {
            if (len >= 2) {
                int declared = DnsMessage.u16(buf, off);
                // a first message longer than the framer keeps would not be a query (nor likely DNS)
                if (declared < DnsMessage.HEADER || declared > DnsTcpFramer.MAX_MESSAGE
                        || (len >= 6 && !plausibleOpcode(DnsMessage.u16(buf, off + 4)))
                        || (len >= 2 + DnsMessage.HEADER && !DnsMessage.plausibleHeader(buf, off + 2, declared))) {
                    return NO;
                }
            }
            st = new TcpState();
            ctx.setState(st);
        }
        TcpState s = st;
        DnsTcpFramer f = fromClient ? s.toServer : s.toClient;
        f.feed(buf, off, len, (b, o, l, declared) -> {
            DnsMessage m = l >= DnsMessage.HEADER ? DnsMessage.parse(b, o, l) : null;
            if (m == null || (!standard && (l != declared || !strict(m, l)))) {
                if (!s.matched) {
                    s.failed = true;
                }
                return false;
            }
            boolean first = !s.matched;
            s.matched = true;
            if (onMessage(ctx, s, m, fromClient, first) == DONE) {
                s.done = true;
                return false;
            }
            return true;
        });
        if (s.failed) {
            return NO;
        }
        if (!s.matched) {
            return NEED_MORE;
        }
        return s.done ? DONE : MATCH;
    }

    private static boolean plausibleOpcode(int flags) {
        int opcode = (flags >>> 11) & 0xF;
        return opcode != 3 && opcode <= 6;
    }

    private static boolean strict(DnsMessage m, int len) {
        if (!m.complete || m.end != len || m.qdcount != 1 || (m.flags & 0x0040) != 0 || m.opcode() != 0) {
            return false;
        }
        int qc = m.qclass & 0x7FFF;
        if (qc != 1 && qc != 3 && qc != 255 || m.qtype == 0) {
            return false;
        }
        if (!m.isResponse()) {
            return m.ancount == 0 && m.nscount == 0 && m.arcount <= 1 && m.rcode() == 0;
        }
        return true;
    }

    private int onMessage(FlowContext ctx, UdpState st, DnsMessage m, boolean fromClient, boolean first) {
        if (first && m.isResponse() && fromClient) {
            ctx.swapClient();
        }
        if (port != 53) {
            ctx.setProtocol(descriptor.name(), descriptor.category());
        }
        if (m.qname != null && ctx.get(Registration.DNS_QUERY.key()) == null) {
            ctx.put(Registration.DNS_QUERY.key(), m.qname);
            ctx.put(Registration.DNS_QTYPE.key(), DnsMessage.typeName(m.qtype));
            ctx.setHost(m.qname, false);
        }
        boolean swapped = first && m.isResponse() && fromClient;
        if (!m.isResponse()) {
            st.query(ctx, m);
            return MATCH;
        }
        if (!st.answered) {
            st.answered = true;
            ctx.put(Registration.DNS_RCODE.key(), DnsMessage.rcodeName(m.rcode()));
            if (!m.answers.isEmpty()) {
                ctx.put(Registration.DNS_ANSWERS.key(), List.copyOf(m.answers));
            }
            if (m.rcode() != 0) {
                ctx.addRisk(Risk.DNS_ERROR);
            }
            if (st.firstQueryId == m.id && !swapped) {
                ctx.put(Registration.DNS_RESPONSE_MS.key(), Math.round((ctx.timestampNanos() - st.firstQueryNanos) / 1000.0) / 1000.0);
            }
        }
        // addresses in answers are learnt by DnsAnswerObserver, from every DNS packet in every worker
        if (!ctx.transactions()) {
            return DONE;
        }
        long asked = st.ids == null ? 0 : st.answer(m.id);
        java.util.LinkedHashMap<String, Object> e = new java.util.LinkedHashMap<>();
        e.put(Registration.DNS_MESSAGE.key(), "response");
        e.put(Registration.DNS_ID.key(), (long) m.id);
        e.put(Registration.DNS_QUERY.key(), m.qname);
        e.put(Registration.DNS_QTYPE.key(), m.qtype < 0 ? null : DnsMessage.typeName(m.qtype));
        e.put(Registration.DNS_RCODE.key(), DnsMessage.rcodeName(m.rcode()));
        e.put(Registration.DNS_ANSWERS.key(), m.answers.isEmpty() ? null : List.copyOf(m.answers));
        if (asked != 0) {
            e.put(Registration.DNS_RESPONSE_MS.key(), Math.round((ctx.timestampNanos() - asked) / 1000.0) / 1000.0);
        }
        ctx.transaction("dns", e);
        return MATCH;
    }
}
