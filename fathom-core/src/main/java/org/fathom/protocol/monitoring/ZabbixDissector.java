package org.fathom.protocol.monitoring;

import static org.fathom.wire.Bytes.u32le;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * The Zabbix protocol (Zabbix manual, "Header and data length") between server, proxies and
 * agents, registered for TCP 10050/10051: a message starts with {@code ZBXD}, a flags byte
 * (0x01 Zabbix protocol, 0x02 compressed, 0x04 large packet; nothing else) and the data length,
 * little-endian, 4 bytes (8 with the large-packet flag). Older agents answer a passive check
 * without the header; the side that has it decides. Nothing is recorded.
 */
public final class ZabbixDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Zabbix", "Network", 10050, 10051).withProbeDepth(3);

    public ZabbixDissector() {
        super(DESCRIPTOR, 13);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        String magic = "ZBXD";
        for (int i = 0; i < Math.min(len, 4); i++) {
            if (b[off + i] != magic.charAt(i)) {
                return matched ? org.fathom.wire.StreamPrefix.SKIP : NO;
            }
        }
        if (len < 9) {
            return NEED_MORE;
        }
        int flags = u8(b, off + 4);
        if ((flags & 0x01) == 0 || (flags & ~0x07) != 0) {
            return NO;
        }
        long length = u32le(b, off + 5);
        return (flags & 0x04) == 0 && length > 1 << 30 ? NO : MATCH;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes('Z');

    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
