package org.fathom.protocol.dns;

import org.fathom.decode.DecodedPacket;
import org.fathom.decode.IpProtocol;
import org.fathom.protocol.PassiveObserver;

/**
 * Learns which names resolved to which addresses from every DNS response over UDP (ports 53,
 * 5353, 5355), whichever worker owns the DNS flow, so that a later flow to such an address can be
 * named after the service (a flow to an address resolved from youtube.com is YouTube).
 */
public final class DnsAnswerObserver implements PassiveObserver {
    @Override
    public boolean wants(DecodedPacket d) {
        if (d.l4 != IpProtocol.UDP) {
            return false;
        }
        int p = d.srcPort;
        return p == 53 || p == 5353 || p == 5355;
    }

    @Override
    public void observe(DecodedPacket d, AddressBook book) {
        if (!wants(d) || d.payloadLength < 12 || (d.buf[d.payloadOffset + 2] & 0x80) == 0) {
            return; // not a response
        }
        DnsMessage m = DnsMessage.parse(d.buf, d.payloadOffset, d.payloadLength);
        if (m == null || m.qname == null || m.qname.isEmpty() || m.rcode() != 0) {
            return;
        }
        for (int i = 0; i < m.addressCount; i++) {
            book.learn(m.addresses[2 * i], m.addresses[2 * i + 1], m.qname);
        }
    }
}
