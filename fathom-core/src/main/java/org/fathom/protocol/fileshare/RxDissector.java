package org.fathom.protocol.fileshare;

import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Rx, the RPC protocol of AFS (OpenAFS "Rx protocol specification"), on UDP 7000-7009 (file server,
 * callback, protection, volume location, authentication, volume, update and bos servers): the
 * 28-byte header with a non-zero epoch, a defined packet type (data, ack, busy, abort, ackall,
 * challenge, response, debug, params, version), defined flag bits, a security index of 0..3, a
 * non-zero serial number, the size the packet type implies, and the service id of the server that
 * listens on that port (file server 1, protection 73, volume location 52, authentication 731,
 * volume 4).
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
        if (u32(b, off + 16) == 0 || (type == 1 && (u32(b, off + 12) == 0 || u32(b, off + 8) == 0))) {
            return NO; // serials, and data packets' call and sequence numbers, count from 1
        }
        int port = s >= 7000 && s <= 7009 ? s : c;
        int service = (b[off + 26] & 0xFF) << 8 | (b[off + 27] & 0xFF);
        int expected = switch (port) {
            case 7002 -> 73; // protection server
            case 7003 -> 52; // volume location server
            case 7004 -> 731; // authentication server
            case 7005 -> 4; // volume server
            case 7006 -> -1;
            default -> 1; // file server, cache manager callbacks, bos, update
        };
        if (type != 8 && type != 13 && expected >= 0 && service != expected) {
            return NO;
        }
        boolean sizeOk = switch (type) {
            case 3, 5 -> len == 28; // busy, ackall: header only
            case 4 -> len == 32; // abort: a 4-byte code
            case 2 -> len >= 28 + 18; // ack: fixed fields before the acks
            case 6 -> len >= 28 + 12; // challenge
            case 7 -> len >= 28 + 16; // response
            default -> true;
        };
        if (!sizeOk) {
            return NO;
        }
        ctx.put(Registration.RX_PACKET_TYPE.key(), switch (type) {
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
