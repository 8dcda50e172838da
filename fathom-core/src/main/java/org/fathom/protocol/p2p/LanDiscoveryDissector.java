package org.fathom.protocol.p2p;

import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.regionEquals;
import static org.fathom.wire.Bytes.u32;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Local network discovery broadcasts of desktop applications, each with its own documented shape:
 * <ul>
 * <li>Dropbox LAN sync (UDP 17500): a JSON object with {@code "host_int"}, {@code "version"} and
 * {@code "port"} members.</li>
 * <li>Spotify Connect/LAN (UDP 57621): datagrams start with {@code SpotUdp0}.</li>
 * <li>Syncthing local discovery (UDP 21027, "Local Discovery Protocol v4"): the 4-byte magic
 * 0x2EA7D90B (v0.13+) or 0x9D79BC40/0x9D79BC39 (older), then the announcement; only on its
 * port, since a 4-byte magic alone is little to go by.</li>
 * </ul>
 */
public final class LanDiscoveryDissector implements Dissector {
    private final Descriptor descriptor;
    private final int kind;

    private LanDiscoveryDissector(Descriptor descriptor, int kind) {
        this.descriptor = descriptor;
        this.kind = kind;
    }

    public static LanDiscoveryDissector dropbox() {
        return new LanDiscoveryDissector(Descriptor.udp("Dropbox", "Cloud", 17500).withProbeDepth(2), 0);
    }

    public static LanDiscoveryDissector spotify() {
        return new LanDiscoveryDissector(Descriptor.udp("Spotify", "Music", 57621).withProbeDepth(2), 1);
    }

    public static LanDiscoveryDissector syncthing() {
        return new LanDiscoveryDissector(Descriptor.udp("Syncthing", "Download", 21027).withProbeDepth(2), 2);
    }

    @Override
    public Descriptor descriptor() {
        return descriptor;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        return switch (kind) {
            case 0 -> len > 16 && b[off] == '{' && indexOf(b, off, len, "\"host_int\"", 1024) > 0
                    && indexOf(b, off, len, "\"version\"", 1024) > 0 && indexOf(b, off, len, "\"port\"", 1024) > 0 ? DONE : NO;
            case 1 -> len >= 8 && regionEquals(b, off, len, 0, "SpotUdp0") ? DONE : NO;
            default -> {
                if (len < 8 || (ctx.serverPort() != 21027 && ctx.clientPort() != 21027)) {
                    yield NO;
                }
                long m = u32(b, off);
                yield m == 0x2EA7D90BL || m == 0x9D79BC40L || m == 0x9D79BC39L ? DONE : NO;
            }
        };
    }
}
