package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.u16;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * KNXnet/IP (ISO 22510, KNX Standard 03.08.02) on UDP/TCP 3671: header length 6, protocol version
 * 0x10, a defined service type and a total length covering the header; over UDP it equals the
 * datagram length. Contributes {@code knxnet_ip.service}.
 */
public final class KnxIpDissector extends PrefixDissector {
    private static final int[] PORTS = {3671};
    private static final Descriptor DESCRIPTOR = Descriptor.both("KNXnet_IP", "IoT-Scada", PORTS, PORTS).withProbeDepth(4);

    public KnxIpDissector() {
        super(DESCRIPTOR, 64);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (b[off] != 0x06 || (len >= 2 && b[off + 1] != 0x10)) {
            return NO;
        }
        if (len < 6) {
            return ctx.l4() == 17 ? NO : NEED_MORE;
        }
        String service = serviceName(u16(b, off + 2));
        int total = u16(b, off + 4);
        if (service == null || total < 6 || (ctx.l4() == 17 && total != len)) {
            return NO;
        }
        ctx.put(Registration.KNXNET_IP_SERVICE.key(), service);
        return DONE;
    }

    static String serviceName(int t) {
        return switch (t) {
            case 0x0201 -> "search_request";
            case 0x0202 -> "search_response";
            case 0x0203 -> "description_request";
            case 0x0204 -> "description_response";
            case 0x0205 -> "connect_request";
            case 0x0206 -> "connect_response";
            case 0x0207 -> "connectionstate_request";
            case 0x0208 -> "connectionstate_response";
            case 0x0209 -> "disconnect_request";
            case 0x020A -> "disconnect_response";
            case 0x020B -> "search_request_ext";
            case 0x020C -> "search_response_ext";
            case 0x0310 -> "device_configuration_request";
            case 0x0311 -> "device_configuration_ack";
            case 0x0420 -> "tunnelling_request";
            case 0x0421 -> "tunnelling_ack";
            case 0x0422 -> "tunnelling_feature_get";
            case 0x0423 -> "tunnelling_feature_response";
            case 0x0424 -> "tunnelling_feature_set";
            case 0x0425 -> "tunnelling_feature_info";
            case 0x0530 -> "routing_indication";
            case 0x0531 -> "routing_lost_message";
            case 0x0532 -> "routing_busy";
            case 0x0533 -> "routing_system_broadcast";
            case 0x0740 -> "remote_diagnostic_request";
            case 0x0741 -> "remote_diagnostic_response";
            case 0x0742 -> "remote_basic_configuration_request";
            case 0x0743 -> "remote_reset_request";
            case 0x0950 -> "secure_wrapper";
            case 0x0951 -> "session_request";
            case 0x0952 -> "session_response";
            case 0x0953 -> "session_authenticate";
            case 0x0954 -> "session_status";
            case 0x0955 -> "timer_notify";
            default -> null;
        };
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes(0x06);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
