package org.fathom.protocol.queue;

import static org.fathom.wire.Bytes.regionEquals;
import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;
import org.fathom.wire.Bytes;
import org.fathom.wire.PrefixDissector;
import org.fathom.wire.StreamPrefix;

/**
 * MQTT 3.1, 3.1.1 (OASIS) and 5.0 over TCP. Recognised by the client's CONNECT packet: flags 0, a
 * valid remaining length, protocol name "MQTT" with level 4 or 5 or "MQIsdp" with level 3, the
 * reserved connect flag clear. A capture that starts mid-session is recognised when both
 * directions start with whole, well-formed control packets of types that direction may send
 * (the client's first one a PUBLISH, SUBSCRIBE, UNSUBSCRIBE or PINGREQ, the server's a PUBLISH,
 * PUBACK, SUBACK, UNSUBACK or PINGRESP).
 *
 * <p>Contributes {@code mqtt.version}, {@code mqtt.keep_alive}, {@code mqtt.user} (the user name,
 * pseudonymised downstream) and {@code mqtt.connack_code}; a password in CONNECT raises
 * {@link Risk#CLEARTEXT_CREDENTIALS}. The client id is not recorded.
 */
public final class MqttDissector extends PrefixDissector {
    static final int CAP = 1024;
    private static final int[] TCP_PORTS = {1883};
    private static final Descriptor DESCRIPTOR = new Descriptor("MQTT", "RPC", Descriptor.TCP, TCP_PORTS, new int[0], 6);
    private static final long CLIENT_OK = 1;
    private static final long SERVER_OK = 2;

    public MqttDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int first = u8(b, off);
        if (matched) {
            return fromClient ? DONE : connack(ctx, b, off, len);
        }
        if (fromClient && first == 0x10) {
            return connect(ctx, b, off, len);
        }
        return midSession(ctx, fromClient, b, off, len);
    }

    private static int connect(FlowContext ctx, byte[] b, int off, int len) {
        long rl = remainingLength(b, off, len);
        if (rl == -1) {
            return NO;
        }
        if (rl == -2) {
            return NEED_MORE;
        }
        int hdr = (int) (rl >>> 32);
        int rem = (int) rl;
        int p = 1 + hdr;
        if (rem < 10) {
            return NO;
        }
        if (len < p + 2) {
            return NEED_MORE;
        }
        int nameLen = u16(b, off + p);
        String version;
        if (nameLen == 4) {
            if (len < p + 8) {
                return Bytes.prefixOf(b, off + p + 2, len - p - 2, "MQTT") ? NEED_MORE : NO;
            }
            if (!regionEquals(b, off, len, p + 2, "MQTT")) {
                return NO;
            }
            int level = u8(b, off + p + 6);
            version = level == 4 ? "3.1.1" : level == 5 ? "5.0" : null;
        } else if (nameLen == 6) {
            if (len < p + 10) {
                return Bytes.prefixOf(b, off + p + 2, len - p - 2, "MQIsdp") ? NEED_MORE : NO;
            }
            if (!regionEquals(b, off, len, p + 2, "MQIsdp")) {
                return NO;
            }
            version = u8(b, off + p + 8) == 3 ? "3.1" : null;
        } else {
            return NO;
        }
        if (version == null) {
            return NO;
        }
        int q = p + 2 + nameLen + 1; // connect flags
        if (len < q + 3) {
            return NEED_MORE;
        }
        int flags = u8(b, off + q);
        if ((flags & 0x01) != 0 || ((flags & 0x18) == 0x18)) {
            return NO;
        }
        // the rest of the packet is optional reading: user name and password flags
        int end = 1 + hdr + rem;
        if (len < end && end <= CAP) {
            return NEED_MORE;
        }
        ctx.put(Registration.MQTT_VERSION.key(), version);
        ctx.put(Registration.MQTT_KEEP_ALIVE.key(), (long) u16(b, off + q + 1));
        if ((flags & 0x40) != 0) {
            ctx.addRisk(Risk.CLEARTEXT_CREDENTIALS);
        }
        if ((flags & 0x80) != 0 && len >= end) {
            String user = userName(b, off, q + 3, end, flags, "5.0".equals(version));
            if (user != null) {
                ctx.put(Registration.MQTT_USER.key(), user);
            }
        }
        return MATCH;
    }

    /** Walks CONNECT's properties and payload to the user name; null when malformed. */
    private static String userName(byte[] b, int off, int p, int end, int flags, boolean v5) {
        if (v5) {
            p = skipProperties(b, off, p, end);
        }
        p = skipString(b, off, p, end); // client id
        if (p >= 0 && (flags & 0x04) != 0) {
            if (v5) {
                p = skipProperties(b, off, p, end);
            }
            p = skipString(b, off, p, end); // will topic
            p = skipString(b, off, p, end); // will payload
        }
        if (p < 0 || p + 2 > end) {
            return null;
        }
        int n = u16(b, off + p);
        if (p + 2 + n > end) {
            return null;
        }
        return new String(b, off + p + 2, Math.min(n, 128), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int skipString(byte[] b, int off, int p, int end) {
        if (p < 0 || p + 2 > end) {
            return -1;
        }
        int q = p + 2 + u16(b, off + p);
        return q <= end ? q : -1;
    }

    private static int skipProperties(byte[] b, int off, int p, int end) {
        if (p < 0) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            if (p >= end) {
                return -1;
            }
            int c = u8(b, off + p++);
            v |= (c & 0x7F) << (7 * i);
            if ((c & 0x80) == 0) {
                return p + v <= end ? p + v : -1;
            }
        }
        return -1;
    }

    private static int connack(FlowContext ctx, byte[] b, int off, int len) {
        if (u8(b, off) != 0x20) {
            return NO;
        }
        if (len < 4) {
            return NEED_MORE;
        }
        ctx.put(Registration.MQTT_CONNACK_CODE.key(), (long) u8(b, off + 3));
        return DONE;
    }

    private static int midSession(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        StreamPrefix seen = StreamPrefix.of(ctx);
        if (seen != null && (seen.note & (fromClient ? CLIENT_OK : SERVER_OK)) != 0) {
            return StreamPrefix.SKIP; // this side already showed whole packets; wait for the other
        }
        int i = 0;
        int whole = 0;
        while (i < len) {
            int t = u8(b, off + i);
            if (!typeOk(t, fromClient, whole == 0)) {
                return NO;
            }
            long rl = remainingLength(b, off + i, len - i);
            if (rl == -1) {
                return NO;
            }
            if (rl == -2) {
                break;
            }
            int size = 1 + (int) (rl >>> 32) + (int) rl;
            int type = t >> 4;
            int rem = (int) rl;
            if (((type == 12 || type == 13) && rem != 0) || (type >= 4 && type <= 7 && rem < 2) || (type == 3 && rem < 2)) {
                return NO;
            }
            if (i + size > len) {
                break;
            }
            if (!bodyOk(b, off + i + size - rem, rem, type, t & 0x0F)) {
                return NO;
            }
            whole++;
            i += size;
        }
        if (whole == 0) {
            return NEED_MORE;
        }
        StreamPrefix st = StreamPrefix.attach(ctx);
        st.note |= fromClient ? CLIENT_OK : SERVER_OK;
        return (st.note & (CLIENT_OK | SERVER_OK)) == (CLIENT_OK | SERVER_OK) ? DONE : NEED_MORE;
    }

    /** Checks the variable header of whole PUBLISH, SUBSCRIBE and SUBACK packets. */
    private static boolean bodyOk(byte[] b, int p, int rem, int type, int flags) {
        if (type == 3) { // topic name: non-empty, no wildcards, then a packet id when QoS > 0
            int n = u16(b, p);
            int need = 2 + n + ((flags & 0x06) != 0 ? 2 : 0);
            if (n < 1 || need > rem) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                int c = u8(b, p + 2 + i);
                if (c < 0x20 || c == '#' || c == '+' || c == 0x7F) {
                    return false;
                }
            }
            return true;
        }
        if (type == 8) { // packet id, then topic filters with their options
            return rem >= 5 && u16(b, p + 2) >= 1 && 4 + u16(b, p + 2) + 1 <= rem;
        }
        if (type == 9) { // packet id, then return codes
            return rem >= 3;
        }
        return true;
    }

    /** Whether a packet with first byte {@code t} may come from that side (first packet: the narrower set). */
    private static boolean typeOk(int t, boolean fromClient, boolean first) {
        int type = t >> 4;
        int f = t & 0x0F;
        boolean flagsOk = switch (type) {
            case 3 -> (f & 0x06) != 0x06;
            case 6, 8, 10 -> f == 2;
            default -> f == 0;
        };
        if (!flagsOk) {
            return false;
        }
        if (fromClient) {
            return first ? type == 3 || type == 8 || type == 10 || type == 12
                    : type == 3 || (type >= 4 && type <= 8) || type == 10 || type == 12 || type == 14;
        }
        return first ? type == 3 || type == 4 || type == 9 || type == 11 || type == 13
                : type == 3 || (type >= 4 && type <= 7) || type == 9 || type == 11 || type == 13 || type == 14;
    }

    /**
     * Reads the remaining length after the first byte at {@code off}: -1 malformed, -2 incomplete,
     * otherwise (number of length bytes) << 32 | value.
     */
    static long remainingLength(byte[] b, int off, int len) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            if (1 + i >= len) {
                return -2;
            }
            int c = u8(b, off + 1 + i);
            v |= (c & 0x7F) << (7 * i);
            if ((c & 0x80) == 0) {
                if (i > 0 && c == 0) {
                    return -1; // non-minimal encoding
                }
                return (long) (i + 1) << 32 | v;
            }
        }
        return -1;
    }
}
