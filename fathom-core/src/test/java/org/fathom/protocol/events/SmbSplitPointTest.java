package org.fathom.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fathom.protocol.events.TransactionSplitPointTest.Msg;
import org.fathom.protocol.smb.SmbDissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/**
 * SMB2 over TCP 445 at every split point, messages built here ([MS-SMB2] 2.2): NEGOTIATE,
 * SESSION_SETUP carrying an NTLM AUTHENTICATE message (Unicode) inside a SPNEGO-like wrapper,
 * TREE_CONNECT, and a compound response (TREE_CONNECT answer chained with another command).
 */
public class SmbSplitPointTest {
    static ByteBuffer header(int command, boolean response, long status, long messageId, int bodyLen) {
        ByteBuffer b = ByteBuffer.allocate(64 + bodyLen).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0xFE).put((byte) 'S').put((byte) 'M').put((byte) 'B').putShort((short) 64).putShort((short) 0)
                .putInt((int) status).putShort((short) command).putShort((short) 1).putInt(response ? 1 : 0).putInt(0)
                .putLong(messageId).putInt(0).putInt(0).putLong(0x1234).put(new byte[16]);
        return b;
    }

    static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    /** An NTLM AUTHENTICATE message with the given names (Unicode). */
    public static byte[] ntlmAuthenticate(String domain, String user, String workstation) {
        byte[] d = utf16(domain);
        byte[] u = utf16(user);
        byte[] w = utf16(workstation);
        byte[] nt = new byte[24];
        ByteBuffer b = ByteBuffer.allocate(88 + d.length + u.length + w.length + nt.length).order(ByteOrder.LITTLE_ENDIAN);
        int p = 88;
        b.put("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII)).putInt(3);
        b.putShort((short) 0).putShort((short) 0).putInt(p);                               // LM response: none
        b.putShort((short) nt.length).putShort((short) nt.length).putInt(p + d.length + u.length + w.length);
        b.putShort((short) d.length).putShort((short) d.length).putInt(p);
        b.putShort((short) u.length).putShort((short) u.length).putInt(p + d.length);
        b.putShort((short) w.length).putShort((short) w.length).putInt(p + d.length + u.length);
        b.putShort((short) 0).putShort((short) 0).putInt(p);                               // session key: none
        b.putInt(0xE2088215);                                                              // flags: Unicode among them
        b.put(new byte[24]);                                                               // version and MIC
        b.put(d).put(u).put(w).put(nt);
        return b.array();
    }

    static byte[] framed(ByteBuffer m) {
        byte[] a = m.array();
        byte[] out = new byte[a.length + 4];
        out[1] = (byte) (a.length >> 16);
        out[2] = (byte) (a.length >> 8);
        out[3] = (byte) a.length;
        System.arraycopy(a, 0, out, 4, a.length);
        return out;
    }

    static final List<Msg> CONVERSATION;

    static {
        ByteBuffer negReq = header(0, false, 0, 0, 36 + 4);
        negReq.putShort((short) 36).putShort((short) 2);
        ByteBuffer negResp = header(0, true, 0, 0, 64);
        negResp.putShort((short) 65).putShort((short) 1).putShort((short) 0x0311);
        byte[] auth = ntlmAuthenticate("EXAMPLE", "alice", "LAPTOP-7");
        byte[] spnego = new byte[16 + auth.length];   // the wrapper's bytes do not matter: the signature is searched for
        spnego[0] = (byte) 0xA1;
        System.arraycopy(auth, 0, spnego, 16, auth.length);
        ByteBuffer setup = header(1, false, 0, 2, 24 + spnego.length);
        setup.putShort((short) 25).put((byte) 0).put((byte) 1).putInt(0).putInt(0).putShort((short) (64 + 24))
                .putShort((short) spnego.length).putLong(0).put(spnego);
        ByteBuffer setupResp = header(1, true, 0, 2, 8);
        setupResp.putShort((short) 9);
        byte[] path = utf16("\\\\files.example.test\\projects");
        ByteBuffer tree = header(3, false, 0, 3, 8 + path.length);
        tree.putShort((short) 9).putShort((short) 0).putShort((short) (64 + 8)).putShort((short) path.length).put(path);
        // compound: the TREE_CONNECT response, then (NextCommand) a response to an ECHO
        ByteBuffer treeResp = header(3, true, 0, 3, 16 + 64 + 4);
        treeResp.putInt(20, 64 + 16);
        treeResp.putShort((short) 16).put((byte) 1).put((byte) 0).putInt(0).putInt(0).putInt(0x1F01FF);
        ByteBuffer echo = header(13, true, 0, 4, 4);
        treeResp.put(echo.array(), 0, 64).putShort((short) 4).putShort((short) 0);
        CONVERSATION = List.of(new Msg(true, framed(negReq)), new Msg(false, framed(negResp)), new Msg(true, framed(setup)),
                new Msg(false, framed(setupResp)), new Msg(true, framed(tree)), new Msg(false, framed(treeResp)));
    }

    @Test
    void commandsAtEverySplitPoint() {
        List<String> events = TransactionSplitPointTest.everySplitPoint(SmbDissector::new, 445, CONVERSATION);
        assertThat(events).containsExactly(
                "smb {smb.command=NEGOTIATE, smb.status=0x00000000, smb.dialect=3.1.1}",
                "smb {smb.command=SESSION_SETUP, smb.status=0x00000000, ntlm.user=alice, ntlm.domain=EXAMPLE, ntlm.workstation=LAPTOP-7}",
                "smb {smb.command=TREE_CONNECT, smb.status=0x00000000, smb.tree=\\\\files.example.test\\projects, smb.share_type=disk}");
    }

    /** An SMB1 header ([MS-CIFS] 2.2.3.1): Unicode, NT status and extended security asked for in Flags2. */
    static ByteBuffer smb1(int command, boolean response, long status, int mid, int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0xFF).put((byte) 'S').put((byte) 'M').put((byte) 'B').put((byte) command).putInt((int) status)
                .put((byte) (response ? 0x98 : 0x18)).putShort((short) 0xC807).putShort((short) 0).putLong(0).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0xFEFF).putShort((short) 0).putShort((short) mid);
        return b;
    }

    static final List<Msg> SMB1;

    static {
        // NEGOTIATE: three dialects offered, the third ("NT LM 0.12") chosen
        byte[] dialects = "\u0002PC NETWORK PROGRAM 1.0\u0000\u0002LANMAN1.0\u0000\u0002NT LM 0.12\u0000".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer neg = smb1(0x72, false, 0, 1, 32 + 3 + dialects.length);
        neg.put((byte) 0).putShort((short) dialects.length).put(dialects);
        ByteBuffer negResp = smb1(0x72, true, 0, 1, 32 + 1 + 34 + 2);
        negResp.put((byte) 17).putShort((short) 2).put(new byte[32]).putShort((short) 0);
        // SESSION_SETUP_ANDX (extended security, the AUTHENTICATE message in its blob) chained
        // with TREE_CONNECT_ANDX (a Unicode path)
        byte[] auth = ntlmAuthenticate("EXAMPLE", "bob", "DESKTOP-9");
        byte[] path = utf16("\\\\files.example.test\\IPC$\u0000");
        int tcAt = 32 + 1 + 24 + 2 + auth.length;
        tcAt += tcAt & 1;
        int pathAt = tcAt + 1 + 8 + 2 + 1;
        int pad = pathAt & 1;
        ByteBuffer setup = smb1(0x73, false, 0, 2, pathAt + pad + path.length + 6);
        setup.put((byte) 12).put((byte) 0x75).put((byte) 0).putShort((short) tcAt).putShort((short) 4356).putShort((short) 50)
                .putShort((short) 0).putInt(0).putShort((short) auth.length).putInt(0).putInt(0x8000D05C)
                .putShort((short) auth.length).put(auth);
        setup.position(tcAt);
        setup.put((byte) 4).put((byte) 0xFF).put((byte) 0).putShort((short) 0).putShort((short) 0).putShort((short) 1)
                .putShort((short) (1 + pad + path.length + 6)).put((byte) 0).put(new byte[pad]).put(path)
                .put("?????\u0000".getBytes(StandardCharsets.ISO_8859_1));
        // the response chain: SESSION_SETUP_ANDX, then TREE_CONNECT_ANDX answered with service IPC
        int tcRespAt = 32 + 1 + 8 + 2;
        ByteBuffer setupResp = smb1(0x73, true, 0, 2, tcRespAt + 1 + 6 + 2 + 4);
        setupResp.put((byte) 4).put((byte) 0x75).put((byte) 0).putShort((short) tcRespAt).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0);
        setupResp.put((byte) 3).put((byte) 0xFF).put((byte) 0).putShort((short) 0).putShort((short) 1).putShort((short) 4)
                .put("IPC\u0000".getBytes(StandardCharsets.ISO_8859_1));
        SMB1 = List.of(new Msg(true, framed(neg)), new Msg(false, framed(negResp)), new Msg(true, framed(setup)),
                new Msg(false, framed(setupResp)));
    }

    /** The SMB1 exchange's message {@code i} (NetBIOS-framed), a fresh copy. */
    public static byte[] smb1Message(int i) {
        return SMB1.get(i).bytes().clone();
    }

    @Test
    void smb1CommandsAndAndXChainsAtEverySplitPoint() {
        List<String> events = TransactionSplitPointTest.everySplitPoint(SmbDissector::new, 445, SMB1);
        assertThat(events).containsExactly(
                "smb {smb.command=NEGOTIATE, smb.status=0x00000000, smb.dialect=NT LM 0.12}",
                "smb {smb.command=SESSION_SETUP_ANDX, smb.status=0x00000000, ntlm.user=bob, ntlm.domain=EXAMPLE, ntlm.workstation=DESKTOP-9}",
                "smb {smb.command=TREE_CONNECT_ANDX, smb.status=0x00000000, smb.tree=\\\\files.example.test\\IPC$, smb.share_type=pipe}");
    }

    @Test
    void smb1WithoutEventsTheFirstMessageIsEnough() {
        TestFlow f = TestFlow.tcp(new SmbDissector(), 445);
        f.feed(true, SMB1.getFirst().bytes());
        assertThat(f.verdict).isEqualTo(org.fathom.protocol.Dissector.DONE);
        assertThat(f.events).isEmpty();
        assertThat(f.meta).containsEntry("smb.version", 1L);
        assertThat(f.application).isEqualTo("SMBv1");
    }

    @Test
    void smb1RequestsNeverAnsweredComeOutAtTheEnd() {
        TestFlow f = TestFlow.tcp(new SmbDissector(), 445);
        f.transactions = true;
        f.feed(true, SMB1.get(0).bytes());
        f.feed(false, SMB1.get(1).bytes());
        f.feed(true, SMB1.get(2).bytes());
        f.end();
        assertThat(f.events).containsExactly(
                "smb {smb.command=NEGOTIATE, smb.status=0x00000000, smb.dialect=NT LM 0.12}",
                "smb {smb.command=SESSION_SETUP_ANDX, ntlm.user=bob, ntlm.domain=EXAMPLE, ntlm.workstation=DESKTOP-9}",
                "smb {smb.command=TREE_CONNECT_ANDX, smb.tree=\\\\files.example.test\\IPC$}");
    }

    @Test
    void withoutEventsTheFirstMessageIsEnough() {
        TestFlow f = TestFlow.tcp(new SmbDissector(), 445);
        f.feed(true, CONVERSATION.getFirst().bytes());
        assertThat(f.verdict).isEqualTo(org.fathom.protocol.Dissector.DONE);
        assertThat(f.events).isEmpty();
        assertThat(f.meta).containsEntry("smb.version", 2L);
    }
}
