package org.fathom.protocol.spotify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.fathom.protocol.Bytes;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class SpotifyApDissectorTest {
    /**
     * The first 48 bytes of each side of the nDPI corpus capture spotify_tcp.pcap (a client's
     * connection to an access point on TCP 4070), their length fields set to the 48 bytes kept.
     */
    static byte[] hello() {
        byte[] b = HexFormat.of().parseHex("000400000149520f5002a00100f00106c002b9f6909d03a00100f00100c0020092036752655260a2d0b331dd95ff489e");
        b[5] = (byte) b.length;
        b[4] = 0;
        return b;
    }

    static byte[] answer() {
        byte[] b = HexFormat.of().parseHex("0000021e52970452ec0252e9025260f6d2e9f68690023e24bee43d2153b04b217b4bfca6107ec81ede5b0fdbafc9f469");
        b[2] = 0;
        b[3] = (byte) b.length;
        return b;
    }

    @Test
    void helloAndAnswerAtEverySplit() {
        TestFlow f = Splits.check(SpotifyApDissector::new, d -> TestFlow.tcp(d, 4070), List.of(Msg.c(hello()), Msg.s(answer())));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void notSpotify() {
        byte[] wrongVersion = hello();
        wrongVersion[1] = 3;
        assertThat(TestFlow.tcp(new SpotifyApDissector(), 4070).client(wrongVersion).verdict).isEqualTo(Dissector.NO);
        byte[] wrongTag = hello();
        wrongTag[6] = 0x0a;
        assertThat(TestFlow.tcp(new SpotifyApDissector(), 4070).client(wrongTag).verdict).isEqualTo(Dissector.NO);
        byte[] huge = hello();
        huge[2] = 1;
        assertThat(TestFlow.tcp(new SpotifyApDissector(), 4070).client(huge).verdict).isEqualTo(Dissector.NO);
        // the access point never speaks first
        assertThat(TestFlow.tcp(new SpotifyApDissector(), 4070).server(answer()).verdict).isEqualTo(Dissector.NO);
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.tcp(new SpotifyApDissector(), 4070).client(DissectorChecks.ascii(o)).verdict).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(new SpotifyApDissector(), 4070, 23, hello(), answer(), Arrays.copyOf(hello(), 5));
    }
}
