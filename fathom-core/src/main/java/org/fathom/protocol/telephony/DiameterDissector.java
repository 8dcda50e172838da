package org.fathom.protocol.telephony;

import static org.fathom.wire.Bytes.u24;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Diameter (RFC 6733) over TCP: version 1, a message length of at least 20 and a multiple of 4,
 * command flags with the reserved bits clear, and a first AVP whose flags' reserved bits are clear
 * and whose length is at least 8 and fits the message. Away from TCP 3868 the command code must be
 * one of the base or 3GPP commands. Contributes {@code diameter.command}.
 */
public final class DiameterDissector extends PrefixDissector {
    static final int PORT = 3868;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Diameter", "Network", PORT).withProbeDepth(4);

    public DiameterDissector() {
        super(DESCRIPTOR, 64);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (b[off] != 1) {
            return NO;
        }
        if (len >= 4) {
            int n = u24(b, off + 1);
            if (n < 20 || (n & 3) != 0) {
                return NO;
            }
        }
        if (len >= 5 && (u8(b, off + 4) & 0x0F) != 0) {
            return NO;
        }
        if (len < 20) {
            return NEED_MORE;
        }
        int n = u24(b, off + 1);
        int code = u24(b, off + 5);
        String name = commandName(code);
        if (name == null && ctx.serverPort() != PORT && ctx.clientPort() != PORT) {
            return NO;
        }
        if (n > 20) {
            if (len < 28) {
                return NEED_MORE;
            }
            int avpLen = u24(b, off + 25);
            if ((u8(b, off + 24) & 0x1F) != 0 || avpLen < 8 || avpLen > n - 20) {
                return NO;
            }
        }
        ctx.put(Registration.DIAMETER_COMMAND.key(), name != null ? name : Integer.toString(code));
        return DONE;
    }

    static String commandName(int code) {
        return switch (code) {
            case 257 -> "capabilities_exchange";
            case 258 -> "re_auth";
            case 260 -> "accounting_request_old";
            case 265 -> "aa";
            case 268 -> "diameter_eap";
            case 271 -> "accounting";
            case 272 -> "credit_control";
            case 274 -> "abort_session";
            case 275 -> "session_termination";
            case 280 -> "device_watchdog";
            case 282 -> "disconnect_peer";
            case 300 -> "user_authorization";
            case 301 -> "server_assignment";
            case 302 -> "location_info";
            case 303 -> "multimedia_auth";
            case 304 -> "registration_termination";
            case 305 -> "push_profile";
            case 306 -> "user_data";
            case 307 -> "profile_update";
            case 308 -> "subscribe_notifications";
            case 309 -> "push_notification";
            case 316 -> "update_location";
            case 317 -> "cancel_location";
            case 318 -> "authentication_information";
            case 319 -> "insert_subscriber_data";
            case 320 -> "delete_subscriber_data";
            case 321 -> "purge_ue";
            case 322 -> "reset";
            case 323 -> "notify";
            case 8388620 -> "provide_location";
            case 8388621 -> "location_report";
            default -> null;
        };
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes(0x01);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
