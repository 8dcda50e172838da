package org.fathom.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.junit.jupiter.api.Test;

/** The builder itself must write what real stacks write, or the decoder tests prove nothing. */
class FrameBuilderTest {
    static final Path SAMPLE = Path.of("../samples/http-loopback.pcap");

    @Test
    void buildsTheSynOfTheLoopbackSampleByteForByte() throws Exception {
        Packet real = new Packet();
        try (CaptureReader r = CaptureFiles.open(SAMPLE)) {
            assertThat(r.next(real)).isTrue();
        }
        assertThat(real.linkType).isEqualTo(LinkType.ETHERNET);
        byte[] built = FrameBuilder.frame()
                .ethernet()
                .ipv4("127.0.0.1", "127.0.0.1", ip -> {
                    ip.id = 61722;
                    ip.dontFragment = true;
                })
                .tcp(54636, 18080, FrameBuilder.SYN, t -> {
                    t.seq = 1351877711;
                    t.window = 65495;
                    t.options = new byte[] {2, 4, (byte) 0xFF, (byte) 0xD7, 4, 2, 8, 10, 0x71, 0x51, 0x7E, 0x4D, 0, 0, 0, 0, 1, 3, 3, 10};
                })
                .bytes();
        byte[] frame = Arrays.copyOf(real.data, real.length);
        // loopback leaves MAC addresses zero; the TCP checksum was offloaded and is wrong on the wire
        Arrays.fill(built, 0, 12, (byte) 0);
        built[14 + 20 + 16] = frame[14 + 20 + 16];
        built[14 + 20 + 17] = frame[14 + 20 + 17];
        assertThat(DecoderHarness.hex(built, built.length)).isEqualTo(DecoderHarness.hex(frame, frame.length));
    }

    @Test
    void tcpAndUdpChecksumsVerify() {
        byte[] tcp = FrameBuilder.frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2, FrameBuilder.ACK).payload("abc").bytes();
        byte[] udp6 = FrameBuilder.frame().ipv6("2001:db8::1", "2001:db8::2").udp(1, 2).payload("abcde").bytes();
        assertThat(FrameBuilder.checksum(tcp, 0, 20, 0)).isZero();
        long pseudo4 = 0x0A00 + 0x0001 + 0x0A00 + 0x0002 + 6 + (tcp.length - 20);
        assertThat(FrameBuilder.checksum(tcp, 20, tcp.length - 20, pseudo4)).isZero();
        long pseudo6 = 0x2001 + 0x0db8 + 1 + 0x2001 + 0x0db8 + 2 + 17 + (udp6.length - 40);
        assertThat(FrameBuilder.checksum(udp6, 40, udp6.length - 40, pseudo6)).isZero();
    }

    @Test
    void ipv6FragmentsCarryTheUnfragmentablePartAndAFragmentHeader() {
        byte[] whole = FrameBuilder.frame().ipv6("2001:db8::1", "2001:db8::2", ip -> ip.hopByHop().destinationOptions(1))
                .udp(1, 2).payload(new byte[40]).bytes();
        var fragments = Fragments.ipv6(whole, 77, 24);
        assertThat(fragments).hasSize(3); // 8 options + 8 UDP + 40 data = 56 bytes of fragmentable part
        byte[] first = fragments.get(0);
        assertThat(first[6]).isEqualTo((byte) IpProtocol.HOPOPT);
        assertThat(first[40]).as("hop-by-hop now announces the fragment header").isEqualTo((byte) IpProtocol.IPV6_FRAG);
        assertThat(first[48]).as("fragment header announces destination options").isEqualTo((byte) IpProtocol.IPV6_OPTS);
        assertThat(((first[4] & 0xFF) << 8) | (first[5] & 0xFF)).isEqualTo(first.length - 40);
    }
}
