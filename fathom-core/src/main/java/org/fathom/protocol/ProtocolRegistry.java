package org.fathom.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The dissectors a classifier runs, in probe order, with port indexes for the port-hinted pass
 * and the port fallback. Immutable once built; shared by all workers.
 */
public final class ProtocolRegistry {
    private final List<Dissector> dissectors;
    private final int[][] tcpByPort = new int[65536][];
    private final int[][] udpByPort = new int[65536][];
    /** The dissectors of each transport, as bit sets over registry indexes (which are the probe order). */
    private final long[] tcpMask;
    private final long[] udpMask;
    /** Per registry index, for the probe loop: the dissector and its probe depth, without a list or a descriptor to go through. */
    private final Dissector[] byIndex;
    private final int[] probeDepth;

    public ProtocolRegistry(List<? extends Dissector> list) {
        this.dissectors = List.copyOf(list);
        Set<String> seen = new HashSet<>();
        int words = (dissectors.size() + 63) >>> 6;
        tcpMask = new long[words];
        udpMask = new long[words];
        for (int i = 0; i < dissectors.size(); i++) {
            Descriptor d = dissectors.get(i).descriptor();
            if (!seen.add(d.name() + "/" + d.transports() + "/" + dissectors.get(i).getClass().getName())) {
                throw new IllegalArgumentException("dissector registered twice: " + d.name());
            }
            if ((d.transports() & Descriptor.TCP) != 0) {
                tcpMask[i >>> 6] |= 1L << i;
                for (int p : d.tcpPorts()) {
                    tcpByPort[p] = append(tcpByPort[p], i);
                }
            }
            if ((d.transports() & Descriptor.UDP) != 0) {
                udpMask[i >>> 6] |= 1L << i;
                for (int p : d.udpPorts()) {
                    udpByPort[p] = append(udpByPort[p], i);
                }
            }
        }
        byIndex = dissectors.toArray(new Dissector[0]);
        probeDepth = new int[byIndex.length];
        for (int i = 0; i < byIndex.length; i++) {
            probeDepth[i] = byIndex[i].descriptor().probeDepth();
        }
        for (int dir = 0; dir < 2; dir++) {
            for (int i = 0; i < dissectors.size(); i++) {
                long[] set = dissectors.get(i).firstBytes(dir == 0);
                if (set == null) {
                    continue;
                }
                for (int v = 0; v < 256; v++) {
                    if ((set[v >>> 6] & (1L << (v & 63))) == 0) {
                        long[][] m = firstByteExcludes[dir];
                        if (m[v] == null) {
                            m[v] = new long[words];
                        }
                        m[v][i >>> 6] |= 1L << i;
                    }
                }
            }
        }
    }

    /** Per direction (client 0, server 1) and first byte: the dissectors whose protocol cannot start so, or null. */
    private final long[][][] firstByteExcludes = new long[2][256][];

    /**
     * The dissectors (as a bit set over registry indexes) that answer no to a direction whose
     * payload starts with {@code first} (see {@link Dissector#firstBytes}), or null for none.
     */
    long[] excludedByFirstByte(boolean fromClient, int first) {
        return firstByteExcludes[fromClient ? 0 : 1][first & 0xFF];
    }

    /**
     * Every dissector the protocol packages register ({@link ProtocolModules}), in the probe order
     * derived from their declarations.
     */
    public static ProtocolRegistry defaults() {
        List<Dissector> all = new ArrayList<>();
        for (Probe p : ProtocolModules.probes()) {
            all.add(p.dissector());
        }
        return new ProtocolRegistry(all);
    }

    private static int[] append(int[] a, int v) {
        if (a == null) {
            return new int[] {v};
        }
        for (int x : a) {
            if (x == v) {
                return a;
            }
        }
        int[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    /** Dissectors that also learn from every packet (see {@link PassiveObserver}). */
    public List<PassiveObserver> observers() {
        List<PassiveObserver> l = new ArrayList<>();
        for (ProtocolModule m : ProtocolModules.all()) {
            l.addAll(m.observers());
        }
        for (Dissector d : dissectors) {
            if (d instanceof PassiveObserver o) {
                l.add(o);
            }
        }
        return l;
    }

    public int size() {
        return dissectors.size();
    }

    public Dissector get(int i) {
        return dissectors.get(i);
    }

    public List<Dissector> dissectors() {
        return Collections.unmodifiableList(dissectors);
    }

    /** Dissectors registered for {@code port} on TCP ({@code tcp}) or UDP, or null. */
    int[] byPort(boolean tcp, int port) {
        return tcp ? tcpByPort[port] : udpByPort[port];
    }

    /** The dissectors of a transport, as a bit set over registry indexes: ascending index is probe order. */
    long[] mask(boolean tcp) {
        return tcp ? tcpMask : udpMask;
    }

    /** Dissector {@code i} ({@link #get}, for the hot path). */
    Dissector at(int i) {
        return byIndex[i];
    }

    /** Dissector {@code i}'s probe depth ({@link Descriptor#probeDepth}). */
    int probeDepth(int i) {
        return probeDepth[i];
    }

    /** Protocol names, for documentation and tests. */
    public List<String> names() {
        List<String> n = new ArrayList<>();
        for (Dissector d : dissectors) {
            if (!n.contains(d.descriptor().name())) {
                n.add(d.descriptor().name());
            }
        }
        return n;
    }
}
