package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Modbus/TCP (Modbus Application Protocol v1.1b3 and Modbus Messaging on TCP/IP v1.0b): the MBAP
 * header (transaction id, protocol id 0, length 2..254 counting unit id and PDU, unit id) and a
 * defined function code. The MBAP header carries little entropy, so only flows on TCP 502 are
 * judged. Function 90 is Schneider Electric's UMAS, named as the application as nDPI does.
 * Contributes {@code modbus.unit_id}, {@code modbus.function} and, from the first response,
 * {@code modbus.exception_code} when it is an exception.
 */
public final class ModbusDissector extends PrefixDissector {
    static final int PORT = 502;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Modbus", "IoT-Scada", PORT).withProbeDepth(4);

    public ModbusDissector() {
        super(DESCRIPTOR, 64, PORT);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (len >= 4 && u16(b, off + 2) != 0) {
            return NO;
        }
        if (len >= 6) {
            int n = u16(b, off + 4);
            if (n < 2 || n > 254) {
                return NO;
            }
        }
        if (len < 8) {
            return NEED_MORE;
        }
        int fc = u8(b, off + 7);
        boolean exception = (fc & 0x80) != 0;
        if (!validFunction(fc & 0x7F) || (exception && u16(b, off + 4) != 3)) {
            return NO;
        }
        if (matched) {
            if (exception) {
                if (len < 9) {
                    return NEED_MORE;
                }
                ctx.put(Registration.MODBUS_EXCEPTION_CODE.key(), (long) u8(b, off + 8));
            }
            return DONE;
        }
        ctx.put(Registration.MODBUS_UNIT_ID.key(), (long) u8(b, off + 6));
        ctx.put(Registration.MODBUS_FUNCTION.key(), functionName(fc & 0x7F));
        if ((fc & 0x7F) == 90) {
            ctx.setApplication("UMAS", "IoT-Scada");
        }
        return MATCH;
    }

    static boolean validFunction(int fc) {
        return switch (fc) {
            case 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 15, 16, 17, 20, 21, 22, 23, 24, 43, 90 -> true;
            default -> (fc >= 65 && fc <= 72) || (fc >= 100 && fc <= 110);
        };
    }

    static String functionName(int fc) {
        return switch (fc) {
            case 1 -> "read_coils";
            case 2 -> "read_discrete_inputs";
            case 3 -> "read_holding_registers";
            case 4 -> "read_input_registers";
            case 5 -> "write_single_coil";
            case 6 -> "write_single_register";
            case 7 -> "read_exception_status";
            case 8 -> "diagnostics";
            case 11 -> "get_comm_event_counter";
            case 12 -> "get_comm_event_log";
            case 15 -> "write_multiple_coils";
            case 16 -> "write_multiple_registers";
            case 17 -> "report_server_id";
            case 20 -> "read_file_record";
            case 21 -> "write_file_record";
            case 22 -> "mask_write_register";
            case 23 -> "read_write_multiple_registers";
            case 24 -> "read_fifo_queue";
            case 43 -> "encapsulated_interface_transport";
            case 90 -> "umas";
            default -> "user_defined_" + fc;
        };
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("UMAS", "IoT-Scada"));
    }
}
