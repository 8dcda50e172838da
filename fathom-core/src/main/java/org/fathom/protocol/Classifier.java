package org.fathom.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.IpProtocol;
import org.fathom.flow.FlowTable;
import org.fathom.reassembly.TcpReorderer;

/**
 * Decides what each flow carries. Detection order per payload packet: a flow announced by an
 * earlier one (FTP data, SIP media) is taken as announced; otherwise the dissectors registered
 * for the flow's ports are probed first, then every other dissector of the transport, each until
 * it says no or its probe depth is used up. With no verdict after {@link #MAX_PACKETS_PER_DIRECTION}
 * payload packets per direction, the flow falls back to a port guess ({@code confidence: port}),
 * an address learnt from DNS ({@code cache}), a well-known provider address ({@code ip}), or
 * {@code Unknown}.
 *
 * <p>The application ({@link #finish}) is, in order: the one a dissector named; the service of
 * the server name the flow carried (TLS SNI, HTTP Host, DNS query) in the {@link ServiceCatalog};
 * the service of the name DNS resolved to the server's address; and, only when no dissector
 * recognised the protocol, the {@link AddressCatalog} service of the server's (else the client's)
 * address. As in nDPI, an address never renames a protocol that inspection found (an SNMP or
 * TLS flow to a cloud address stays SNMP or TLS): on shared hosting the address tells who runs
 * the machine, not what talks to it. See docs/CLASSIFICATION.md.
 *
 * <p>One classifier per worker (it owns the DNS-learned addresses and expectations of the
 * flows it sees). For already-decided flows {@link #onPacket} costs one array read and a flag test.
 */
public final class Classifier implements PassiveObserver.AddressBook {
    public static final int MAX_PACKETS_PER_DIRECTION = 10;
    static final int MAX_METADATA_CALLS = 32;
    static final int MAX_LEARNED_ADDRESSES = 65_536;
    static final int MAX_EXPECTATIONS = 4_096;

    final ProtocolRegistry registry;
    private final PortCatalog ports = PortCatalog.bundled();
    private final ServiceCatalog catalog;
    private final AddressCatalog addresses;
    private final Map<AddressKey, String> learned = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<AddressKey, String> e) {
            return size() > MAX_LEARNED_ADDRESSES;
        }
    };
    private final Map<ExpectKey, Service> expected = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ExpectKey, Service> e) {
            return size() > MAX_EXPECTATIONS;
        }
    };

    // the flow and direction being fed, for the TCP stream sink
    private FlowInspection feeding;
    private boolean feedingFromClient;
    private final TcpReorderer.Sink sink = (b, o, l) -> feed(feeding, feedingFromClient, b, o, l);

    private static final Risk[] RISKS = Risk.values();

    /** Where per-transaction events go, or null (the default): then none is built. */
    TransactionSink transactionSink;

    /**
     * Asks the dissectors for per-transaction events, handed to {@code sink} (null: none, the
     * default). A recognised flow's dissector is then fed past {@link #MAX_METADATA_CALLS}.
     */
    public void transactions(TransactionSink sink) {
        this.transactionSink = sink;
    }

    private record AddressKey(long hi, long lo) {
        // explicit equals/hashCode: the generated ones go through method handles, slow under C1
        @Override
        public boolean equals(Object o) {
            return o instanceof AddressKey k && k.hi == hi && k.lo == lo;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hi * 0x9E3779B97F4A7C15L ^ lo);
        }
    }

    private record ExpectKey(int l4, long hi, long lo, int port) {
        // explicit equals/hashCode: the generated ones go through method handles, slow under C1
        @Override
        public boolean equals(Object o) {
            return o instanceof ExpectKey k && k.l4 == l4 && k.hi == hi && k.lo == lo && k.port == port;
        }

        @Override
        public int hashCode() {
            return Long.hashCode((hi * 0x9E3779B97F4A7C15L ^ lo) * 31 + ((long) l4 << 16 | port));
        }
    }

    /** A classifier with the bundled address rules (a new catalog over the once-parsed bundled table). */
    public Classifier(ProtocolRegistry registry, ServiceCatalog catalog) {
        this(registry, catalog, AddressCatalog.bundled());
    }

    public Classifier(ProtocolRegistry registry, ServiceCatalog catalog, AddressCatalog addresses) {
        this.registry = registry;
        this.catalog = catalog;
        this.addresses = addresses;
        this.observers = registry.observers().toArray(new PassiveObserver[0]);
    }

    private final PassiveObserver[] observers;

    /**
     * Lets the passive observers see a packet, owned by this worker or not. Call it for every
     * decoded packet, before {@link #onPacket}.
     */
    public void observe(DecodedPacket d) {
        for (PassiveObserver o : observers) {
            try {
                o.observe(d, this);
            } catch (RuntimeException e) {
                // an observer bug must not cost the run; the packet is still accounted
            }
        }
    }

    /** Whether some observer needs this packet's payload (decided on its headers). */
    public boolean observerWants(DecodedPacket headers) {
        for (PassiveObserver o : observers) {
            if (o.wants(headers)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void learn(long hi, long lo, String name) {
        learnAddress(hi, lo, name);
    }

    /**
     * Inspects one packet of flow {@code f} (as returned by {@link FlowTable#update}).
     *
     * @return true once per flow: when this packet made its classification known (a dissector
     *         recognised the protocol, the flow was announced by another, or inspection gave up and
     *         the fallbacks decide): the moment {@link #verdict} is worth acting on
     */
    public boolean onPacket(FlowTable table, int f, DecodedPacket d) {
        Object e = table.ext(f);
        FlowInspection fi;
        if (e != null) {
            fi = (FlowInspection) e;
            if (fi.done) {
                if (fi.meter != null && d.payloadLength > 0 && d.l4 == IpProtocol.UDP) {
                    meter(fi, table.lastFromClient(f), d);
                }
                return false;
            }
        } else {
            if (d.payloadLength == 0 && (d.l4 == IpProtocol.TCP || d.l4 == IpProtocol.UDP)) {
                // nothing to look at yet; handshake-only flows (a SYN flood) cost no inspection
                // state, and a TCP stream's byte order starts at its first data segment
                return false;
            }
            fi = start(table, f, d);
            table.setExt(f, fi);
            if (fi.done) {
                return announce(fi);
            }
        }
        boolean fromClient = table.lastFromClient(f);
        if (d.malformed) {
            fi.addRisk(Risk.MALFORMED_PACKET);
        }
        fi.timestamp = d.timestampNanos;
        if (d.l4 == IpProtocol.TCP) {
            TcpReorderer s = fromClient ? fi.toServer : fi.toClient;
            if (s == null) {
                s = new TcpReorderer();
                if (fromClient) {
                    fi.toServer = s;
                } else {
                    fi.toClient = s;
                }
            }
            if ((d.tcpFlags & DecodedPacket.TCP_SYN) != 0) {
                s.syn(d.tcpSeq);
            }
            if (d.payloadLength > 0) {
                feeding = fi;
                feedingFromClient = fromClient;
                s.segment(d.tcpSeq + ((d.tcpFlags & DecodedPacket.TCP_SYN) != 0 ? 1 : 0), d.buf, d.payloadOffset, d.payloadLength, sink);
                if (s.hasGap()) {
                    fi.addRisk(Risk.TCP_STREAM_GAP);
                }
                feeding = null;
            }
        } else if (d.payloadLength > 0) {
            feed(fi, fromClient, d.buf, d.payloadOffset, d.payloadLength);
        }
        if (fi.swapRequested) {
            fi.swapRequested = false;
            swap(table, f, fi);
        }
        return !fi.announced && (fi.done || fi.matched >= 0) && announce(fi);
    }

    private static void meter(FlowInspection fi, boolean fromClient, DecodedPacket d) {
        try {
            fi.meter.packet(fromClient, d.buf, d.payloadOffset, d.payloadLength, d.timestampNanos);
        } catch (RuntimeException x) {
            fi.meter = null;   // a meter bug costs this flow its figures, never the run
        }
    }

    private static boolean announce(FlowInspection fi) {
        boolean first = !fi.announced;
        fi.announced = true;
        return first;
    }

    private FlowInspection start(FlowTable t, int f, DecodedPacket d) {
        FlowInspection fi = new FlowInspection(this, d.l4, d.ipVersion == 6, registry.size());
        fi.flow = f;
        endpoints(fi, t, f);
        fi.sawSyn = d.l4 == IpProtocol.TCP && (t.tcpFlags(f, true) & DecodedPacket.TCP_SYN) != 0;
        if (!learned.isEmpty()) {
            // looked up when the flow starts: what this worker has observed up to this packet,
            // the same whatever the number of workers
            fi.learnedName = learned.get(new AddressKey(fi.sHi, fi.sLo));
        }
        if (!expected.isEmpty()) {
            Service s = expected.remove(new ExpectKey(d.l4, fi.sHi, fi.sLo, fi.serverPort));
            if (s == null) {
                // the announcing side may be either end (e.g. active FTP)
                s = expected.remove(new ExpectKey(d.l4, fi.cHi, fi.cLo, fi.clientPort));
            }
            if (s != null) {
                fi.setProtocol(s.name(), s.category());
                fi.fromExpectation = true;
                fi.finishInspection();
                return fi;
            }
        }
        if (d.l4 != IpProtocol.TCP && d.l4 != IpProtocol.UDP) {
            Service s = byIpProtocol(d.l4);
            if (s != null) {
                fi.setProtocol(s.name(), s.category());
                fi.matched = Integer.MAX_VALUE; // decided by the IP protocol number alone
            }
            fi.finishInspection();
        }
        return fi;
    }

    /** Protocols recognised from the IP protocol number alone (nDPI's names). */
    static Service byIpProtocol(int proto) {
        return switch (proto) {
            case IpProtocol.ICMP -> new Service("ICMP", "Network");
            case IpProtocol.ICMPV6 -> new Service("ICMPV6", "Network");
            case IpProtocol.IGMP -> new Service("IGMP", "Network");
            case IpProtocol.GRE -> new Service("GRE", "Network");
            case IpProtocol.ESP, IpProtocol.AH -> new Service("IPSec", "VPN");
            case IpProtocol.OSPF -> new Service("OSPF", "Network");
            case IpProtocol.VRRP -> new Service("VRRP", "Network");
            case IpProtocol.PIM -> new Service("IP_PIM", "Network");
            case IpProtocol.PGM -> new Service("PGM", "Network");
            case IpProtocol.SCTP -> new Service("SCTP", "Network");
            case IpProtocol.IPIP -> new Service("IP_in_IP", "Network");
            case 8 -> new Service("EGP", "Network");
            case 88 -> new Service("IP_EGRP", "Network");
            default -> null;
        };
    }

    private void feed(FlowInspection fi, boolean fromClient, byte[] b, int off, int len) {
        if (fi.done || len <= 0) {
            return;
        }
        if (fromClient) {
            fi.clientPayloadPackets++;
        } else {
            fi.serverPayloadPackets++;
        }
        if (fi.matched >= 0) {
            int r = call(fi, fi.matched, fromClient, b, off, len);
            if (r == Dissector.DONE || r == Dissector.NO
                    || ++fi.metadataCalls >= MAX_METADATA_CALLS && transactionSink == null) {
                fi.finishInspection();
            }
            return;
        }
        boolean tcp = fi.l4 == IpProtocol.TCP;
        if ((fromClient ? fi.clientPayloadPackets : fi.serverPayloadPackets) == 1) {
            // a direction's first bytes rule out the protocols that cannot start so, without a call
            long[] no = registry.excludedByFirstByte(fromClient, b[off]);
            if (no != null) {
                for (int k = 0; k < no.length; k++) {
                    fi.excluded[k] |= no[k];
                }
                int[] own = fi.sawSyn ? registry.byPort(true, fi.serverPort) : null;
                if (own != null) {
                    for (int i : own) {
                        if ((no[i >>> 6] & (1L << i)) != 0) {
                            fi.refuse(i); // as if it had said no itself: the port's protocol refused the stream's start
                        }
                    }
                }
            }
        }
        int[] hinted = registry.byPort(tcp, fi.serverPort);
        if (hinted != null && probe(fi, hinted, null, null, fromClient, b, off, len)) {
            return;
        }
        int[] hinted2 = fi.clientPort != fi.serverPort ? registry.byPort(tcp, fi.clientPort) : null;
        if (hinted2 != null && probe(fi, hinted2, hinted, null, fromClient, b, off, len)) {
            return;
        }
        // each dissector sees each payload once: the ones tried by port above are skipped
        if (probeAll(fi, tcp, hinted, hinted2, fromClient, b, off, len)) {
            return;
        }
        if (fi.clientPayloadPackets >= MAX_PACKETS_PER_DIRECTION || fi.serverPayloadPackets >= MAX_PACKETS_PER_DIRECTION
                || allExcluded(fi, registry.mask(tcp))) {
            fi.finishInspection();
        }
    }

    /** Offers the payload to each candidate in {@code order}; true once one matched. */
    private boolean probe(FlowInspection fi, int[] order, int[] tried, int[] tried2, boolean fromClient, byte[] b, int off, int len) {
        boolean portsOwn = tried == null && order == registry.byPort(true, fi.serverPort);
        for (int i : order) {
            if (fi.isExcluded(i) || contains(tried, i) || contains(tried2, i)) {
                continue;
            }
            if (offer(fi, i, portsOwn, fromClient, b, off, len)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The full pass over every dissector of the transport, in probe order: registry indexes are
     * the probe order, so it walks the bits of the candidates not excluded yet instead of the
     * whole list (most are excluded after a flow's first payload, many by its first byte).
     */
    private boolean probeAll(FlowInspection fi, boolean tcp, int[] tried, int[] tried2, boolean fromClient, byte[] b, int off, int len) {
        long[] mask = registry.mask(tcp);
        for (int w = 0; w < mask.length; w++) {
            long bits = mask[w] & ~fi.excluded[w];
            while (bits != 0) {
                int i = w << 6 | Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (contains(tried, i) || contains(tried2, i)) {
                    continue;
                }
                if (offer(fi, i, false, fromClient, b, off, len)) {
                    return true;
                }
                bits &= ~fi.excluded[w];   // as the list walk would: what was excluded meanwhile is skipped
            }
        }
        return false;
    }

    /**
     * Offers the payload to dissector {@code i}; true once the flow is decided (it matched, or
     * inspection ended). {@code portsOwn}: {@code i} is registered for the TCP server port, so its
     * no to the stream's start keeps the port guess from naming its protocol.
     */
    private boolean offer(FlowInspection fi, int i, boolean portsOwn, boolean fromClient, byte[] b, int off, int len) {
        if ((fromClient ? fi.clientPayloadPackets : fi.serverPayloadPackets) > registry.probeDepth(i)) {
            fi.exclude(i);
            return false;
        }
        int r = call(fi, i, fromClient, b, off, len);
        if (r == Dissector.NO) {
            fi.exclude(i);
            if (portsOwn && fi.sawSyn) {
                fi.refuse(i); // the server port's own protocol refused the stream's start
            }
        } else if (r == Dissector.MATCH || r == Dissector.DONE) {
            fi.matched = i;
            if (fi.protocol == null) {
                Descriptor desc = registry.get(i).descriptor();
                fi.setProtocol(desc.name(), desc.category());
            }
            if (r == Dissector.DONE) {
                fi.finishInspection();
            } else {
                // other dissectors' state is no longer needed
                fi.keepOnlyStateOf(i);
            }
            return true;
        }
        return fi.done;
    }

    private static boolean contains(int[] a, int v) {
        if (a == null) {
            return false;
        }
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static boolean allExcluded(FlowInspection fi, long[] mask) {
        for (int w = 0; w < mask.length; w++) {
            if ((mask[w] & ~fi.excluded[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    private int call(FlowInspection fi, int i, boolean fromClient, byte[] b, int off, int len) {
        fi.current = i;
        try {
            return registry.at(i).inspect(fi, fromClient, b, off, len);
        } catch (RuntimeException e) {
            // a dissector bug costs this flow its verdict from that dissector, never the run
            fi.addRisk(Risk.MALFORMED_PACKET);
            return Dissector.NO;
        } finally {
            fi.current = -1;
        }
    }

    /** Copies the flow's client and server ends into its inspection state. */
    private static void endpoints(FlowInspection fi, FlowTable t, int f) {
        fi.clientPort = t.port(f, true);
        fi.serverPort = t.port(f, false);
        fi.cHi = t.addrHi(f, true);
        fi.cLo = t.addrLo(f, true);
        fi.sHi = t.addrHi(f, false);
        fi.sLo = t.addrLo(f, false);
    }

    private void swap(FlowTable t, int f, FlowInspection fi) {
        t.setClientIsB(f, !t.clientIsB(f));
        endpoints(fi, t, f);
        int p = fi.clientPayloadPackets;
        fi.clientPayloadPackets = fi.serverPayloadPackets;
        fi.serverPayloadPackets = p;
        TcpReorderer s = fi.toServer;
        fi.toServer = fi.toClient;
        fi.toClient = s;
    }

    void learnAddress(long hi, long lo, String name) {
        learned.put(new AddressKey(hi, lo), name);
    }

    void expect(int l4, long hi, long lo, int port, String name, String category) {
        expected.put(new ExpectKey(l4, hi, lo, port), new Service(name, category));
    }

    /**
     * A number that changes when inspection of flow {@code f} learns something its verdict would
     * show (metadata, risks, protocol, application); 0 before inspection. Cheap and allocation-free,
     * for whoever re-decides on new facts (the policy) without building a {@link #verdict} per packet.
     */
    public long revision(FlowTable t, int f) {
        if (!(t.ext(f) instanceof FlowInspection fi)) {
            return 0;
        }
        long h = (long) fi.metadataCalls << 40 ^ fi.risks;
        h = h * 31 + (fi.protocol == null ? 0 : fi.protocol.hashCode());
        h = h * 31 + (fi.application == null ? 0 : fi.application.hashCode());
        h = h * 31 + (fi.host == null ? 0 : fi.host.hashCode());
        return h * 31 + (fi.learnedName == null ? 0 : fi.learnedName.hashCode()) + 1;
    }

    /**
     * Reads flow {@code f}'s inspection state and the head of its metadata, changing nothing, so
     * that they are in cache when the flow ends a moment later ({@code FlowTable.Listener#endsSoon}).
     */
    public void touch(FlowTable t, int f) {
        if (t.ext(f) instanceof FlowInspection fi) {
            Object[] v = fi.metaValues;
            touched += (fi.toServer == null ? 0 : 1) + (v == null ? 0 : v.length);
        }
    }

    /** What {@link #touch} read, kept so that the reads are not optimised away. */
    @SuppressWarnings("unused")
    private int touched;

    /** Whether flow {@code f} has been classified (its protocol or application announced once). */
    public boolean classified(FlowTable t, int f) {
        return t.ext(f) instanceof FlowInspection fi && fi.announced;
    }

    /** Whether inspection of flow {@code f} goes on (its {@link #revision} may still change). */
    public boolean inspecting(FlowTable t, int f) {
        return t.ext(f) instanceof FlowInspection fi && !fi.done;
    }

    /** The verdict on flow {@code f} as it ends. */
    public Classification finish(FlowTable t, int f) {
        return verdict(t, f, true);
    }

    /**
     * The verdict on flow {@code f} so far, while it lives on (for interim records and for whoever
     * acts on a classification): like {@link #finish}, but bytes held behind a TCP gap are not
     * flushed, and the metadata is a copy that later packets do not change.
     */
    public Classification verdict(FlowTable t, int f) {
        return verdict(t, f, false);   // its metadata is made anew for each verdict
    }

    private Classification verdict(FlowTable t, int f, boolean ending) {
        FlowInspection fi = (FlowInspection) t.ext(f);
        int l4 = t.l4(f);
        String protocol = null;
        String protoCategory = null;
        String confidence;
        long risks = 0;
        LinkedHashMap<String, Object> meta = null;
        String app = null;
        String appCategory = null;
        String host = null;
        if (fi != null) {
            if (ending && fi.toServer != null && !fi.done) {
                flushStreams(fi);
            }
            if (ending && transactionSink != null && fi.transactionCount == 0 && fi.metaCount > 0) {
                snapshotEvent(fi);
            }
            if (ending && transactionSink != null && !fi.done && fi.matched >= 0
                    && fi.stateOf(fi.matched) instanceof PendingTransactions p) {
                fi.current = fi.matched;
                try {
                    p.flush(fi);
                } catch (RuntimeException x) {
                    // a dissector bug costs this flow its pending events, never the run
                } finally {
                    fi.current = -1;
                }
            }
            if (fi.meter != null) {
                try {
                    fi.meter.publish(fi);
                } catch (RuntimeException x) {
                    fi.meter = null;
                }
            }
            risks = fi.risks;
            meta = fi.metadata();
            host = fi.host;
            app = fi.application;
            appCategory = fi.applicationCategory;
        }
        // a protocol known only by its registered port (ports.rules) is a specific protocol, not a
        // carrier of services: the address of its server does not rename it
        boolean portCatalogOnly = false;
        if (fi != null && fi.protocol != null && (fi.matched >= 0 || fi.fromExpectation)) {
            protocol = fi.protocol;
            protoCategory = fi.protocolCategory;
            confidence = "DPI";
            if (fi.matched >= 0 && fi.matched < registry.size()) {
                risks |= portRisk(registry.get(fi.matched).descriptor(), l4, t.port(f, true), t.port(f, false));
            }
        } else if (fi == null && l4 != IpProtocol.TCP && l4 != IpProtocol.UDP && byIpProtocol(l4) != null) {
            Service s = byIpProtocol(l4);
            protocol = s.name();
            protoCategory = s.category();
            confidence = "DPI";
        } else {
            Service guess = portGuess(fi, l4, t.port(f, false), t.port(f, true));
            if (guess != null) {
                protocol = guess.name();
                protoCategory = guess.category();
                confidence = "port";
                boolean tcp = l4 == IpProtocol.TCP;
                portCatalogOnly = registry.byPort(tcp, t.port(f, false)) == null && registry.byPort(tcp, t.port(f, true)) == null;
            } else {
                protocol = "Unknown";
                protoCategory = "Unknown";
                confidence = "unknown";
            }
        }
        Service named = catalog.lookup(host);
        if (app == null) {
            Service s = named;
            if (s == null && fi != null && fi.learnedName != null) {
                String name = fi.learnedName;
                if (name != null) {
                    s = catalog.lookup(name);
                    if (s != null && "unknown".equals(confidence)) {
                        confidence = "cache";
                    }
                }
            }
            // the media and NAT-traversal carriers: their relays are run by the call service itself
            boolean relay = callCarrier(protocol);
            // a protocol known only by its registered port (ports.rules) is a specific protocol,
            // not a carrier of services: the address of its server does not rename it
            if (s == null && !portCatalogOnly && (!"DPI".equals(confidence) || relay)) {
                s = addresses.lookup(t.addrHi(f, false), t.addrLo(f, false));
                if (s == null) {
                    s = addresses.lookup(t.addrHi(f, true), t.addrLo(f, true));
                }
                if (s != null && relay && "DPI".equals(confidence) && !callService(s.name())) {
                    s = null; // a STUN server on a cloud or CDN address says nothing of the service
                } else if (s != null && !relay && callName(s.name())) {
                    s = null; // a call's relay block (a hosting provider's) names only the call's media
                }
                if (s != null && "unknown".equals(confidence)) {
                    confidence = "ip";
                }
            }
            if (s != null) {
                app = s.name();
                appCategory = s.category();
            }
        }
        if (app == null && meta != null && ("HTTP".equals(protocol) || "HTTP_Proxy".equals(protocol))) {
            Service s = httpService(meta);
            if (s != null) {
                app = s.name();
                appCategory = s.category();
            }
        }
        if (app != null && callCarrier(protocol)) {
            String call = callVariant(app);
            if (call != null) {
                app = call;
                appCategory = "VoIP";
            }
        }
        if (app == null) {
            app = protocol;
        }
        String category = appCategory != null && !categoryFollowsProtocol(protocol) ? appCategory : protoCategory;
        if (host != null && named == null && DgaHeuristic.suspicious(host)) {
            risks |= 1L << Risk.SUSPICIOUS_DGA_DOMAIN.ordinal();
        }
        if ((l4 == IpProtocol.TCP || l4 == IpProtocol.UDP) && (t.packets(f, true) == 0 || t.packets(f, false) == 0)) {
            risks |= 1L << Risk.UNIDIRECTIONAL_TRAFFIC.ordinal();
        }
        List<String> riskNames = risks == 0 ? List.of() : new ArrayList<>();
        for (long left = risks; left != 0; left &= left - 1) {
            riskNames.add(RISKS[Long.numberOfTrailingZeros(left)].label());
        }
        return new Classification(protocol, app, category, confidence, meta == null ? new LinkedHashMap<>() : meta, riskNames);
    }

    /**
     * Protocols whose exchange is the flow (a key exchange, an authentication, a lease): when their
     * dissector reported no transaction of its own, their one event is made as the flow ends from
     * the fields it gathered under the prefix.
     */
    static final String[] SNAPSHOT_PREFIXES = {"ssh.", "kerberos.", "dhcp.", "smb.", "ntlm."};

    private void snapshotEvent(FlowInspection fi) {
        for (String prefix : SNAPSHOT_PREFIXES) {
            LinkedHashMap<String, Object> e = null;
            for (int i = 0; i < fi.metaCount; i++) {
                if (fi.metaKeys[i].startsWith(prefix)) {
                    if (e == null) {
                        e = new LinkedHashMap<>();
                    }
                    e.put(fi.metaKeys[i], fi.metaValues[i]);
                }
            }
            if (e != null) {
                fi.transaction(prefix.substring(0, prefix.length() - 1), e);
                return;
            }
        }
    }

    /**
     * Protocols whose flows keep the protocol's category whatever service they reach (as nDPI
     * does): a DNS query for a Google name is Network, a mail session to Google is Email.
     */
    static boolean categoryFollowsProtocol(String protocol) {
        return switch (protocol) {
            case "DNS", "POP3", "POPS", "SMTP", "SMTPS", "IMAP", "IMAPS" -> true;
            default -> false;
        };
    }

    private void flushStreams(FlowInspection fi) {
        // bytes held behind a gap still deserve a look before the verdict
        feeding = fi;
        feedingFromClient = true;
        if (fi.toServer != null) {
            fi.toServer.flush(sink);
        }
        feedingFromClient = false;
        if (fi.toClient != null && !fi.done) {
            fi.toClient.flush(sink);
        }
        feeding = null;
    }

    /**
     * The port guess, the last resort: the protocol registered for the server port (else the
     * client port) whose dissector did not reject the flow's payload (nDPI drops a guessed
     * protocol its dissector excluded the same way: a binary protocol on TCP 80 is not HTTP), else
     * the {@link PortCatalog} protocol of the port (known only by its port, nothing to refute it).
     */
    private Service portGuess(FlowInspection fi, int l4, int serverPort, int clientPort) {
        if (l4 != IpProtocol.TCP && l4 != IpProtocol.UDP) {
            return null;
        }
        boolean tcp = l4 == IpProtocol.TCP;
        int[] c = registry.byPort(tcp, serverPort);
        int[] c2 = registry.byPort(tcp, clientPort);
        if (c == null && c2 == null) {
            Service s = ports.lookup(tcp, serverPort);
            return s != null ? s : ports.lookup(tcp, clientPort);
        }
        Descriptor d = firstNotRejected(fi, c);
        if (d == null) {
            d = firstNotRejected(fi, c2);
        }
        return d == null ? null : new Service(d.name(), d.category());
    }

    private Descriptor firstNotRejected(FlowInspection fi, int[] candidates) {
        if (candidates != null) {
            for (int i : candidates) {
                if (fi == null || !fi.rejected(i)) {
                    return registry.get(i).descriptor();
                }
            }
        }
        return null;
    }

    /**
     * Protocols that carry a call's media or its NAT traversal: on them a messaging service named
     * by host, DNS or address becomes its call variant. On STUN the server's address may name the
     * service even though inspection found the protocol, when that service runs its own relays
     * ({@link #callService}): a TURN relay in WhatsApp's block is WhatsApp's.
     */
    static boolean callCarrier(String protocol) {
        return switch (protocol) {
            case "STUN", "DTLS", "SRTP", "RTP", "RTCP" -> true;
            default -> false;
        };
    }

    /** What HTTP carries, named from the request's method and the content type (nDPI's names). */
    static final List<Service> HTTP_SERVICES = List.of(new Service("WebDAV", "Collaborative"), new Service("MS-RPCH", "RPC"),
            new Service("IPP", "System"), new Service("HLS", "Media"), new Service("MpegDash", "Media"),
            new Service("SOAP", "RPC"), new Service("IceCast", "Media"));

    /**
     * The service an HTTP flow's own metadata shows (the first request's method, the content
     * type, the server header), or null: WebDAV methods (RFC 4918), Outlook Anywhere's
     * RPC over HTTP methods, IPP (RFC 8010, {@code application/ipp}), HLS playlists (RFC 8216),
     * DASH manifests (ISO/IEC 23009-1), SOAP 1.2 ({@code application/soap+xml}), an Icecast server.
     */
    static Service httpService(Map<String, Object> meta) {
        Object m = meta.get("http.method");
        if (m instanceof String method) {
            switch (method) {
                case "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK" -> {
                    return HTTP_SERVICES.get(0);
                }
                case "RPC_IN_DATA", "RPC_OUT_DATA" -> {
                    return HTTP_SERVICES.get(1);
                }
                default -> { }
            }
        }
        String ct = meta.get("http.content_type") instanceof String c ? c.toLowerCase(java.util.Locale.ROOT) : "";
        if (ct.startsWith("application/ipp")) {
            return HTTP_SERVICES.get(2);
        }
        // by what was served, not by the URL asked for (a playlist URL answered 403 is no stream)
        if (ct.startsWith("application/vnd.apple.mpegurl") || ct.startsWith("application/x-mpegurl")) {
            return HTTP_SERVICES.get(3);
        }
        if (ct.startsWith("application/dash+xml")) {
            return HTTP_SERVICES.get(4);
        }
        if (ct.startsWith("application/soap+xml")) {
            return HTTP_SERVICES.get(5);
        }
        if (dashRequest(meta, ct)) {
            return HTTP_SERVICES.get(4);
        }
        if (meta.get("http.server") instanceof String srv && srv.regionMatches(true, 0, "Icecast", 0, 7)) {
            return HTTP_SERVICES.get(6);
        }
        return null;
    }

    /**
     * A request for a DASH manifest ({@code .mpd}) or media segment ({@code .m4s}, ISO/IEC 23009-1
     * with ISO BMFF segments) that was not answered with something else: no response seen, or a
     * success carrying media (an error page for a segment URL is no stream).
     */
    private static boolean dashRequest(Map<String, Object> meta, String ct) {
        if (!(meta.get("http.url") instanceof String url) || !(url.endsWith(".m4s") || url.endsWith(".mpd"))) {
            return false;
        }
        if (meta.get("http.status") instanceof Long status && (status < 200 || status >= 300)) {
            return false;
        }
        return ct.isEmpty() || ct.startsWith("video/") || ct.startsWith("audio/") || ct.startsWith("application/octet-stream");
    }

    /** Services whose own address blocks hold the STUN/TURN relays of their calls. */
    static boolean callService(String app) {
        return callVariant(app) != null || callName(app) || switch (app) {
            case "Zoom", "Webex", "Discord", "GoTo", "Telegram" -> true;
            default -> false;
        };
    }

    /**
     * Whether {@code app} is itself the name of a call (a {@link #callVariant}). An address block
     * listed under such a name in addresses.rules is where a call service runs its media relays
     * inside a hosting provider's block (KakaoTalk_Voice in KINX's 1.201.0.0/16): it names only a
     * call's media and NAT-traversal flows ({@link #callCarrier}), never other traffic to the block.
     */
    static boolean callName(String app) {
        return CALL_NAMES.contains(app);
    }

    /** The call service of a messaging service, in nDPI's names, or null. */
    static String callVariant(String app) {
        return CALLS.get(app);
    }

    /** Messaging services and their calls, in nDPI's names. */
    private static final Map<String, String> CALLS = Map.ofEntries(
            Map.entry("WhatsApp", "WhatsAppCall"),
            Map.entry("Facebook", "FacebookVoip"), Map.entry("FacebookMessenger", "FacebookVoip"), Map.entry("Instagram", "FacebookVoip"),
            Map.entry("Signal", "SignalVoip"),
            Map.entry("Telegram", "TelegramVoip"),
            Map.entry("Google", "GoogleCall"), Map.entry("GoogleServices", "GoogleCall"), Map.entry("GoogleMeet", "GoogleCall"),
            Map.entry("GoogleChat", "GoogleCall"),
            Map.entry("Teams", "Skype_TeamsCall"), Map.entry("Skype_Teams", "Skype_TeamsCall"),
            Map.entry("Snapchat", "SnapchatCall"),
            Map.entry("Line", "LineCall"),
            Map.entry("Viber", "ViberVoip"),
            Map.entry("KakaoTalk", "KakaoTalk_Voice"));
    private static final java.util.Set<String> CALL_NAMES = java.util.Set.copyOf(CALLS.values());

    private static long portRisk(Descriptor d, int l4, int clientPort, int serverPort) {
        int[] ports = l4 == IpProtocol.TCP ? d.tcpPorts() : d.udpPorts();
        if (ports.length == 0) {
            return 0;
        }
        for (int p : ports) {
            if (p == serverPort || p == clientPort) {
                return 0;
            }
        }
        return 1L << Risk.KNOWN_PROTOCOL_NON_STANDARD_PORT.ordinal();
    }
}
