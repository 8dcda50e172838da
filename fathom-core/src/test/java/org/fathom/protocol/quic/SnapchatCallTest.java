package org.fathom.protocol.quic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Golden;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Snapchat's calls: RTP/RTCP on the 5-tuple of a gQUIC Q046 connection (see {@link QuicDissector}). */
class SnapchatCallTest {
    /** A gQUIC long-header client packet of {@code version} ("Q046") carrying a CHLO without SNI. */
    static byte[] chlo(String version) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0xC3);
        o.writeBytes(version.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        o.write(0x50); // destination connection id of 8 bytes
        o.writeBytes(new byte[] {(byte) 0xc3, (byte) 0x80, 0x46, (byte) 0xe7, 0x7a, (byte) 0xa3, 0x06, (byte) 0xea});
        o.writeBytes(new byte[] {0, 0, 0, 1}); // packet number
        o.writeBytes(new byte[12]);            // message authentication hash
        o.writeBytes(new byte[] {(byte) 0xa0, 1, 0, 0});
        o.writeBytes(new byte[] {'C', 'H', 'L', 'O', 1, 0, 0, 0});
        o.writeBytes(new byte[] {'V', 'E', 'R', 0, 4, 0, 0, 0});
        o.writeBytes(version.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        o.writeBytes(new byte[900]);
        return o.toByteArray();
    }

    static final byte[] SHORT = HexFormat.of().parseHex("40c38046e77aa306ea04d58e1184d05c1bb3005b");
    /** An RTCP receiver report without report blocks, then SRTCP's trailer (as in the corpus call). */
    static final byte[] RTCP_RR = HexFormat.of().parseHex("80c900018728a61e127968547529a2fc6f163074aabbccdd");
    static final byte[] RTP_A = HexFormat.of().parseHex("90ef622a97e7a8f444e62648bede000110ff00001122334455");
    static final byte[] RTP_B = HexFormat.of().parseHex("90ef622b97e7a9f444e62648bede000110ff00006677889900");

    private static TestFlow run(String version, byte[]... later) {
        QuicDissector d = new QuicDissector();
        TestFlow f = TestFlow.udp(443);
        byte[] c = chlo(version);
        f.verdict = d.inspect(f.packet(true), true, c, 0, c.length);
        for (byte[] b : later) {
            if (f.verdict != Dissector.MATCH) {
                break;
            }
            f.verdict = d.inspect(f.packet(false), false, b, 0, b.length);
        }
        return f;
    }

    @Test
    void rtcpOrRtpAfterAQ046HandshakeIsASnapchatCall() {
        TestFlow f = run("Q046", SHORT, SHORT, RTCP_RR);
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.application).isEqualTo("SnapchatCall");
        assertThat(f.meta).containsEntry("quic.version", "Q046");
        TestFlow g = run("Q046", SHORT, RTP_A, SHORT, RTP_B);
        assertThat(g.application).isEqualTo("SnapchatCall");
    }

    @Test
    void otherwiseTheFlowStaysQuic() {
        // Q046 with only QUIC packets: watched for a bounded number of datagrams, then done
        byte[][] quic = new byte[QuicDissector.MEDIA_WATCH + 5][];
        java.util.Arrays.fill(quic, SHORT);
        TestFlow f = run("Q046", quic);
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.application).isNull();
        // an RTCP header whose length runs past the datagram; one RTP packet alone
        byte[] badRtcp = HexFormat.of().parseHex("80c900208728a61e12796854");
        assertThat(run("Q046", badRtcp, RTP_A).application).isNull();
        // other gQUIC versions end at the CHLO as before
        TestFlow q43 = run("Q043", RTCP_RR);
        assertThat(q43.application).isNull();
    }

    @Test
    void corpusCall() throws Exception {
        Path pcap = Path.of("../../shared/corpus/ndpi/pcap/snapchat_call.pcapng");
        if (!Files.isRegularFile(pcap)) {
            pcap = Path.of("../../../shared/corpus/ndpi/pcap/snapchat_call.pcapng");
        }
        Assumptions.assumeTrue(Files.isRegularFile(pcap), "nDPI corpus not present");
        List<FlowRecord> flows = Golden.flows(pcap);
        assertThat(flows).filteredOn(r -> "QUIC".equals(r.protocol())).singleElement()
                .satisfies(r -> assertThat(r.application()).isEqualTo("SnapchatCall"));
    }
}
