package org.fathom.protocol.steamrelay;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Steam Datagram Relay (Valve's relay network for game traffic): the relay ping a Steam client
 * sends to each relay to measure its route. Its first byte is the message id 1,
 * {@code k_ESteamDatagramMsg_RouterPingRequest} of Valve's published {@code ESteamDatagramMsgID}
 * list, and the ping carries the ASCII marker {@code sdping} right after a second header byte (as
 * in the corpus capture steam.pcapng, 100-byte pings to a relay on UDP 27045). The other SDR
 * messages are encrypted and are not claimed.
 */
public final class SteamDatagramRelayDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("SteamDatagramRelay", "Game").withProbeDepth(2);
    private static final byte[] MARK = {'s', 'd', 'p', 'i', 'n', 'g'};

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? Dissector.bytes(0x01) : null;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (!fromClient || len < 2 + MARK.length + 8 || b[off] != 0x01) {
            return NO;
        }
        for (int i = 0; i < MARK.length; i++) {
            if (b[off + 2 + i] != MARK[i]) {
                return NO;
            }
        }
        return DONE;
    }
}
