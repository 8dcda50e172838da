package org.fathom.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder against the examples of RFC 7541 Appendix C (each sequence shares one decoder). */
class HpackTest {
    static List<String> decode(Hpack h, String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        List<String> out = new ArrayList<>();
        assertThat(h.decode(b, 0, b.length, (n, v) -> out.add(n + ": " + v))).as(hex).isTrue();
        return out;
    }

    @Test
    void literalWithIndexing() {   // C.2.1
        Hpack h = new Hpack();
        assertThat(decode(h, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"))
                .containsExactly("custom-key: custom-header");
        assertThat(h.dynamicSize()).isEqualTo(55);
    }

    @Test
    void literalWithoutIndexingAndNeverIndexed() {   // C.2.2, C.2.3, C.2.4
        Hpack h = new Hpack();
        assertThat(decode(h, "040c 2f73 616d 706c 652f 7061 7468")).containsExactly(":path: /sample/path");
        assertThat(decode(h, "1008 7061 7373 776f 7264 0673 6563 7265 74")).containsExactly("password: secret");
        assertThat(decode(h, "82")).containsExactly(":method: GET");
        assertThat(h.dynamicSize()).isZero();
    }

    @Test
    void requestsWithoutHuffman() {   // C.3
        Hpack h = new Hpack();
        assertThat(decode(h, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"))
                .containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
        assertThat(h.dynamicSize()).isEqualTo(57);
        assertThat(decode(h, "8286 84be 5808 6e6f 2d63 6163 6865"))
                .containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com", "cache-control: no-cache");
        assertThat(h.dynamicSize()).isEqualTo(110);
        assertThat(decode(h, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"))
                .containsExactly(":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com",
                        "custom-key: custom-value");
        assertThat(h.dynamicSize()).isEqualTo(164);
    }

    @Test
    void requestsWithHuffman() {   // C.4
        Hpack h = new Hpack();
        assertThat(decode(h, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))
                .containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
        assertThat(decode(h, "8286 84be 5886 a8eb 1064 9cbf"))
                .containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com", "cache-control: no-cache");
        assertThat(decode(h, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"))
                .containsExactly(":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com",
                        "custom-key: custom-value");
        assertThat(h.dynamicSize()).isEqualTo(164);
    }

    @Test
    void responsesWithEvictionInA256ByteTable() {   // C.5: entries are evicted as the table fills
        Hpack h = new Hpack();
        h.setMaxSize(256);
        assertThat(decode(h, "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a"
                + " 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"))
                .containsExactly(":status: 302", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                        "location: https://www.example.com");
        assertThat(h.dynamicSize()).isEqualTo(222);
        assertThat(decode(h, "4803 3330 37c1 c0bf"))
                .containsExactly(":status: 307", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                        "location: https://www.example.com");
        assertThat(h.dynamicSize()).isEqualTo(222);
    }

    @Test
    void huffmanCodeIsTheRfcs() {
        // spot checks of Appendix B: the canonical code rebuilt from the lengths
        assertThat(Hpack.CODES[0]).isEqualTo(0x1ff8);
        assertThat(Hpack.CODES[' ']).isEqualTo(0x14);
        assertThat(Hpack.CODES['0']).isZero();
        assertThat(Hpack.CODES['\\']).isEqualTo(0x7fff0);
        assertThat(Hpack.CODES[255]).isEqualTo(0x3ffffee);
        assertThat(Hpack.CODES[Hpack.EOS]).isEqualTo(0x3fffffff);
        byte[] www = H2Frames.huffman("www.example.com".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(HexFormat.of().formatHex(www)).isEqualTo("f1e3c2e5f23a6ba0ab90f4ff");
    }

    @Test
    void malformedBlocksAreRefused() {
        byte[] out = new byte[16];
        assertThat(Hpack.huffman(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 0, 4, out)).isNegative(); // EOS
        assertThat(Hpack.huffman(new byte[] {(byte) 0xf1, (byte) 0x00}, 0, 2, out)).isNegative();  // padding not ones
        Hpack h = new Hpack();
        for (String bad : List.of("80", "c0", "bf", "7f", "4f05ffff", "3fe1ffffff0f", "3fe1ff07", "ff", "8241")) {
            byte[] b = HexFormat.of().parseHex(bad);
            assertThat(h.decode(b, 0, b.length, (n, v) -> { })).as(bad).isFalse();
        }
    }
}
