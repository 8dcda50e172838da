package org.fathom.protocol.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.ascii;
import static org.fathom.protocol.samples.Hex.cat;
import static org.fathom.protocol.samples.Hex.hex;
import static org.fathom.protocol.samples.Hex.zeros;

import java.util.List;
import org.fathom.protocol.Risk;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Tail;
import org.junit.jupiter.api.Test;

class ChatDissectorsTest {
    @Test
    void xmppNamesTheServiceFromTheStreamHeader() {
        Drive.Outcome o = Tail.run("xmpp client stream");
        assertThat(o.host()).isEqualTo("jabber.example.org");
        assertThat(o.meta()).containsEntry("jabber.to", "jabber.example.org");
    }

    @Test
    void xmlThatIsNotAnXmppStreamIsRefused() {
        byte[] soap = ascii("<?xml version='1.0'?><soap:Envelope xmlns:soap='http://www.w3.org/2003/05/soap-envelope'>");
        assertThat(Drive.run(new XmppDissector(), TestFlow.tcp(40000, 5222), List.of(Msg.c(soap))).recognised()).isFalse();
        byte[] other = ascii("<stream:stream xmlns='urn:example:other' xmlns:stream='urn:x'>");
        assertThat(Drive.run(new XmppDissector(), TestFlow.tcp(40000, 5222), List.of(Msg.c(other))).recognised()).isFalse();
    }

    @Test
    void ircRegistration() {
        assertThat(Tail.run("irc registration").recognised()).isTrue();
        assertThat(Tail.run("irc with pass").risks()).containsExactly(Risk.CLEARTEXT_CREDENTIALS);
        // a one-argument USER is FTP or POP3, not IRC
        assertThat(Drive.run(new IrcDissector(), TestFlow.tcp(40000, 6667), List.of(Msg.c(ascii("USER alice\r\n")))).recognised()).isFalse();
        // PASS alone decides nothing and leaves no risk behind
        TestFlow f = TestFlow.tcp(40000, 110);
        assertThat(Drive.run(new IrcDissector(), f, List.of(Msg.c(ascii("PASS secret\r\nRETR 1\r\n")))).recognised()).isFalse();
        assertThat(f.risks).isEmpty();
    }

    @Test
    void whatsAppVersions() {
        assertThat(Tail.run("whatsapp noise with routing").meta()).containsEntry("whatsapp.protocol_version", "6.3");
        assertThat(Tail.run("whatsapp noise").meta()).containsEntry("whatsapp.protocol_version", "5.2");
        // a Noise header whose first frame is not a ClientHello
        byte[] wrong = cat(hex("57 41 05 02 000004 0A 02 00 00"));
        assertThat(Drive.run(new WhatsAppDissector(), TestFlow.tcp(40000, 443), List.of(Msg.c(wrong))).recognised()).isFalse();
    }

    @Test
    void discordDiscoveryNeedsTheExactLayout() {
        byte[] shortPacket = cat(hex("0001 0046 0000ACE3"), zeros(60));
        assertThat(Drive.run(new DiscordDissector(), TestFlow.udp(40000, 50004), List.of(Msg.c(shortPacket))).recognised()).isFalse();
        byte[] junkAddress = cat(hex("0002 0046 0000ACE3"), ascii("not an address!"), zeros(64 - 15), hex("0000"));
        assertThat(Drive.run(new DiscordDissector(), TestFlow.udp(40000, 50004), List.of(Msg.c(junkAddress))).recognised()).isFalse();
    }
}
