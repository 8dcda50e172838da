package org.fathom.protocol.apptest;

import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.wire.frames.Ber;
import org.fathom.wire.frames.RecordFramer;
import org.fathom.protocol.kerberos.KerberosMessage;
import org.fathom.protocol.ldap.LdapMessage;
import org.fathom.protocol.ssh.SshKexInit;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.wire.text.LineAssembler;

/**
 * Random and mutated input never makes a dissector or parser of this section throw or hang: every
 * dissector is fed random chunks from both sides over TCP and UDP, and valid first messages of
 * each protocol with bytes flipped, cut or repeated.
 */
class DissectorFuzzProperties {
    /** Valid first payloads (client side unless noted) of the section's protocols. */
    static final List<byte[]> SEEDS = List.of(
            ascii("SSH-2.0-OpenSSH_9.6\r\n"),
            hex("0000001c 6a 1a 30 18 a1 03 02 01 05 a2 03 02 01 0a a4 0c 30 0a a2 08 1b 06 45 58 2e 4f 52 47"),
            hex("0123456789abcdef0000000000000000 2120 2208 00000000 00000030" + "00".repeat(20)),
            hex("0e 38 334857703d96db39 00 00000000"),
            hex("1201 001b 0000 0100 00000b0006 01001100 01ff 0f00077e0000 02"),
            hex("0107 0021" + "00".repeat(16) + "0107616c696365 0406 0a000001"),
            hex("030000130ee00000000000010008000b000000"),
            hex("030000140802 77f4 05 04038090a5 7e0010"),
            hex("80000034 12345678 00000000 00000002 000186a3 00000003 00000001 00000000 00000000 00000000 00000000" + "00".repeat(12)),
            hex("00000008 04d2162f"),
            hex("01000000 44332211" + "00".repeat(140)),
            hex("05020002"),
            ascii("OPTIONS rtsp://cam/ RTSP/1.0\r\nCSeq: 1\r\n\r\n"),
            ascii("220 ready\r\nUSER bob\r\nPASV\r\n227 Entering Passive Mode (10,0,0,1,4,1)\r\n"),
            ascii("220 mx ESMTP\r\nEHLO me\r\nAUTH PLAIN x\r\nSTARTTLS\r\n"),
            ascii("+OK ready\r\nUSER a\r\nPASS b\r\nSTLS\r\n"),
            ascii("* OK ready\r\na1 LOGIN \"u\" \"p\"\r\na2 STARTTLS\r\n"),
            hex("300c 020101 6007 020103 0400 8000"),
            hex("00000048 fe534d42 4000" + "00".repeat(62)),
            ascii("RFB 003.008\n"),
            hex("4a0000 00 0a 382e302e333600 0a000000 6162636465666768 00 ffff2102 00ffc115" + "00".repeat(10)),
            hex("ffffffffffffffffffffffffffffffff 001d 01 04 fde8 00b4 c0000201 00"),
            hex("32 01 0004 00000000 1234 0000"),
            ascii("*1\r\n$4\r\nPING\r\n"),
            hex("26000000 07000000 00000000 dd070000 00000000 00 11000000 1068656c6c6f0001000000 00"),
            ascii("@RSYNCD: 31.0\n"),
            ascii("0032git-upload-pack /project.git\0host=example.org\0"),
            hex("e3c3eac4701b47d5" + "00".repeat(32) + "0a50507d66afa7bc382bbf7e" + "00".repeat(80)),
            hex("fffd18 fffd20 fffb01"),
            ascii("r6fnvWj80a50507d66afa7bc382bbf7e"));

    @Property(tries = 300)
    void randomChunksNeverBreakADissector(@ForAll @Size(max = 700) byte[] data, @ForAll @IntRange(min = 0, max = 9999) int which,
            @ForAll boolean tcp, @ForAll long seed) {
        feedAll(data, which, tcp, seed);
    }

    @Property(tries = 600)
    void mutatedSeedsNeverBreakADissector(@ForAll("mutatedSeed") byte[] data, @ForAll @IntRange(min = 0, max = 9999) int which,
            @ForAll boolean tcp, @ForAll long seed) {
        feedAll(data, which, tcp, seed);
    }

    @Property(tries = 400)
    void parsersNeverThrow(@ForAll("mutatedSeed") byte[] data, @ForAll @IntRange(min = 0, max = 64) int off, @ForAll @IntRange(min = 0, max = 800) int len) {
        int o = Math.min(off, data.length);
        int l = Math.min(len, data.length - o);
        KerberosMessage.type(data, o, l, l);
        KerberosMessage.realm(data, o, l, 10);
        KerberosMessage.realm(data, o, l, 30);
        KerberosMessage.errorCode(data, o, l);
        LdapMessage.op(data, o, l, l, new int[1]);
        LdapMessage.op(data, o, l, l + 5, new int[1]);
        if (l >= 6) {
            LdapMessage.length(data, o);
        }
        SshKexInit.algorithms(data, o, l, true);
        Ber.find(data, o, o + l, o + l, 0xA2);
        Ber.integer(data, o, o + l);
        new LineAssembler(64).feed(data, o, l, (b, lo, ll) -> true);
        new RecordFramer(4, 32, (b, q) -> (b[q] & 0xFF) + 4).feed(data, o, l, (b, q, n, full) -> true);
    }

    @Provide
    Arbitrary<byte[]> mutatedSeed() {
        return Arbitraries.integers().between(0, SEEDS.size() - 1).flatMap(i -> Arbitraries.longs().map(seed -> mutate(SEEDS.get(i), seed)));
    }

    static byte[] mutate(byte[] seed, long s) {
        Random r = new Random(s);
        byte[] b = seed.clone();
        int flips = r.nextInt(6);
        for (int k = 0; k < flips && b.length > 0; k++) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        switch (r.nextInt(4)) {
            case 0 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncated
            case 1 -> b = Bytes.cat(b, b); // repeated
            case 2 -> b = Bytes.cat(b, new byte[r.nextInt(64)]);
            default -> { }
        }
        return b;
    }

    private static void feedAll(byte[] data, int which, boolean tcp, long seed) {
        List<Dissector> all = AppDissectors.all();
        Dissector d = all.get(which % all.size());
        TestFlow f = new TestFlow(d, tcp, d.descriptor().tcpPorts().length > 0 ? d.descriptor().tcpPorts()[0] : 1000);
        Random r = new Random(seed);
        List<int[]> chunks = new ArrayList<>();
        int p = 0;
        while (p < data.length) {
            int n = 1 + r.nextInt(Math.max(1, data.length - p));
            chunks.add(new int[] {p, n});
            p += n;
        }
        boolean fromClient = r.nextBoolean();
        for (int[] c : chunks) {
            // TestFlow calls the dissector directly: any exception fails the property
            f.feed(fromClient, data, c[0], c[1]);
            if (r.nextInt(3) == 0) {
                fromClient = !fromClient;
            }
        }
    }
}
