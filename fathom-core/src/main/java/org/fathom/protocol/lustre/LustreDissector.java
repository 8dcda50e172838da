package org.fathom.protocol.lustre;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u16le;
import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u32le;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Lustre's network layer LNet over TCP (the socket LND, port 988), from the Lustre source
 * (lnet/include/uapi/linux/lnet/lnet-idl.h: {@code lnet_acceptor_connreq}, {@code
 * ksock_hello_msg}, {@code lnet_magicversion}, {@code lnet_hdr}; nidstr.h: SOCKLND = 2) and
 * Wireshark's packet-lnet.c. Integers are in the sender's byte order (the receiver swabs when the
 * magic is reversed), so both orders are read. A NID is 64 bits: the network (LND type in the high
 * 16 bits, network number in the low 16) above a 32-bit address, the IPv4 address for TCP. A
 * direction's first bytes are one of:
 * <ul>
 * <li>the acceptor's connection request (client only): magic LNET_PROTO_ACCEPTOR_MAGIC 0xacce7100,
 * version 1, and the NID of the node asked for: a socket-LND NID whose address is the server's
 * (what nDPI's lustre.c checks too);</li>
 * <li>the socket LND's hello, version 2 or 3: magic LNET_PROTO_MAGIC 0x45726963, version, source
 * NID, destination NID, ...;</li>
 * <li>the version 1 hello: magic LNET_PROTO_TCP_MAGIC 0xeebc0ded, version 1.0, then an LNet
 * header of type LNET_MSG_HELLO (4) whose destination and source NIDs follow.</li>
 * </ul>
 * For the hellos the source NID must be a socket-LND NID, and the sender's address be its address
 * or the receiver's be the destination's. A connection seen after its handshake starts with a
 * socket-LND message of type KSOCK_MSG_LNET (0xc1) whose LNet header must agree (see
 * {@link #message}; nDPI's lustre.c checks the destination address and the payload length there). IPv4 only (the socket LND's NIDs of this layout carry
 * IPv4 addresses). It writes no metadata.
 */
public final class LustreDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Lustre", "DataTransfer").withProbeDepth(2);
    static final long ACCEPTOR_MAGIC = 0xacce7100L;
    static final long PROTO_MAGIC = 0x45726963L;
    static final long TCP_MAGIC = 0xeebc0dedL;
    static final int SOCKLND = 2;
    static final int MSG_HELLO = 4;
    static final long KSOCK_MSG_LNET = 0xC1;
    /** ksock_msg's 24 bytes and lnet_hdr's 72. */
    private static final int MESSAGE_HEADER = 96;
    private static final long MAX_PAYLOAD = 1 << 20;
    private static final int CAP = 128;
    private static final long[] CLIENT_FIRST = Dissector.bytes(0x00, 0xac, 0x63, 0x45, 0xed, 0xee, 0xc1);
    private static final long[] SERVER_FIRST = Dissector.bytes(0x00, 0x63, 0x45, 0xed, 0xee, 0xc1);

    public LustreDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? CLIENT_FIRST : SERVER_FIRST;
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (ctx.l4() != 6 || ctx.ipv6() || ctx.clientHi() != 0 || ctx.serverHi() != 0) {
            return NO;
        }
        if (len <= 0) {
            return NEED_MORE;
        }
        if (len < 4) {
            int c = b[off] & 0xFF;
            return firstBytes(fromClient)[c >>> 6] << ~c < 0 ? NEED_MORE : NO;
        }
        long first = u32le(b, off);
        if (first == KSOCK_MSG_LNET || u32(b, off) == KSOCK_MSG_LNET) {
            return message(ctx, fromClient, b, off, len, first == KSOCK_MSG_LNET);
        }
        boolean little;
        long magic = first;
        if (magic == ACCEPTOR_MAGIC || magic == PROTO_MAGIC || magic == TCP_MAGIC) {
            little = true;
        } else {
            magic = u32(b, off);
            if (magic != ACCEPTOR_MAGIC && magic != PROTO_MAGIC && magic != TCP_MAGIC) {
                return NO;
            }
            little = false;
        }
        int sender = (int) (fromClient ? ctx.clientLo() : ctx.serverLo());
        int receiver = (int) (fromClient ? ctx.serverLo() : ctx.clientLo());
        if (magic == ACCEPTOR_MAGIC) {
            if (!fromClient) {
                return NO;
            }
            if (len < 16) {
                return NEED_MORE;
            }
            return word(b, off + 4, little) == 1 && socketNid(b, off + 8, little) && address(b, off + 8, little) == receiver ? DONE : NO;
        }
        if (magic == PROTO_MAGIC) {
            if (len < 24) {
                return NEED_MORE;
            }
            long version = word(b, off + 4, little);
            if (version != 2 && version != 3) {
                return NO;
            }
            return hello(b, off + 8, off + 16, little, sender, receiver);
        }
        // version 1: lnet_magicversion, then lnet_hdr (dest_nid, src_nid, dest_pid, src_pid, type)
        if (len < 36) {
            return NEED_MORE;
        }
        int major = little ? u16le(b, off + 4) : u16(b, off + 4);
        int minor = little ? u16le(b, off + 6) : u16(b, off + 6);
        if (major != 1 || minor != 0 || word(b, off + 32, little) != MSG_HELLO) {
            return NO;
        }
        return hello(b, off + 16, off + 8, little, sender, receiver);
    }

    /**
     * A socket-LND message of a connection seen after its handshake (ksock_msg: type
     * KSOCK_MSG_LNET 0xc1, checksum, two zero-copy cookies, then the 72-byte lnet_hdr): an LNet
     * message type ACK, PUT, GET or REPLY, a payload of at most LNET_MAX_PAYLOAD (1 MiB), and both
     * NIDs socket-LND NIDs naming this flow's endpoints (destination the receiver, source the
     * sender).
     */
    private static int message(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, boolean little) {
        if (len < MESSAGE_HEADER) {
            return NEED_MORE;
        }
        int sender = (int) (fromClient ? ctx.clientLo() : ctx.serverLo());
        int receiver = (int) (fromClient ? ctx.serverLo() : ctx.clientLo());
        long type = word(b, off + 48, little);
        long payload = word(b, off + 52, little);
        return type <= 3 && payload <= MAX_PAYLOAD && socketNid(b, off + 24, little) && address(b, off + 24, little) == receiver
                && socketNid(b, off + 32, little) && address(b, off + 32, little) == sender ? DONE : NO;
    }

    private static int hello(byte[] b, int src, int dst, boolean little, int sender, int receiver) {
        if (!socketNid(b, src, little)) {
            return NO;
        }
        return address(b, src, little) == sender || socketNid(b, dst, little) && address(b, dst, little) == receiver ? DONE : NO;
    }

    private static long word(byte[] b, int at, boolean little) {
        return little ? u32le(b, at) : u32(b, at);
    }

    /** The NID's address, its low 32 bits. */
    private static int address(byte[] b, int nid, boolean little) {
        return (int) (little ? u32le(b, nid) : u32(b, nid + 4));
    }

    /** Whether the NID's network is of the socket LND (its LND type, the high 16 bits of the network). */
    private static boolean socketNid(byte[] b, int nid, boolean little) {
        long net = little ? u32le(b, nid + 4) : u32(b, nid);
        return net >>> 16 == SOCKLND;
    }
}
