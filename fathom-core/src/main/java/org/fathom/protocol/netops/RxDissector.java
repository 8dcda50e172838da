package org.fathom.protocol.netops;

import static org.fathom.protocol.wirekit.Bytes.u32;
import static org.fathom.protocol.wirekit.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Rx, the RPC protocol of AFS (OpenAFS "Rx protocol specification"), on UDP 7000-7009 (file server,
 * callback, protection, volume location, authentication, volume, update and bos servers): the
 * 28-byte header with a non-zero epoch, a defined packet type (data, ack, busy, abort, ackall,
 * challenge, response, debug, params, version), defined flag bits and a security index of 0..3.
 * Contributes {@code rx.packet_type}.
 */
public final class RxDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("RX", "RPC", 7000, 7001, 7002, 7003, 7004, 7005, 7006, 7007, 7008, 7009)
            .withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        int s = ctx.serverPort();
        int c = ctx.clientPort();
        if (!((s >= 7000 && s <= 7009) || (c >= 7000 && c <= 7009)) || len < 28) {
            return NO;
        }
        int type = u8(b, off + 20);
        int flags = u8(b, off + 21);
        boolean typeOk = (type >= 1 && type <= 9) || type == 13;
        if (!typeOk || (flags & 0xC0) != 0 || u8(b, off + 23) > 3 || u32(b, off) == 0) {
            return NO;
        }
        if (type == 1 && u32(b, off + 12) == 0) {
            return NO; // data packets are numbered from 1
        }
        ctx.put("rx.packet_type", switch (type) {
            case 1 -> "data";
            case 2 -> "ack";
            case 3 -> "busy";
            case 4 -> "abort";
            case 5 -> "ackall";
            case 6 -> "challenge";
            case 7 -> "response";
            case 8 -> "debug";
            case 9 -> "params";
            default -> "version";
        });
        return DONE;
    }
}
