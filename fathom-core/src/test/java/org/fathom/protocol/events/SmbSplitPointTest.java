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

    @Test
    void withoutEventsTheFirstMessageIsEnough() {
        TestFlow f = TestFlow.tcp(new SmbDissector(), 445);
        f.feed(true, CONVERSATION.getFirst().bytes());
        assertThat(f.verdict).isEqualTo(org.fathom.protocol.Dissector.DONE);
        assertThat(f.events).isEmpty();
        assertThat(f.meta).containsEntry("smb.version", 2L);
    }
}
