package org.fathom.protocol.chat;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The chat package declares itself: WhatsApp, Discord, Jabber, IRC: dissectors with their probe
 * placement and the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField WHATSAPP_PROTOCOL_VERSION = MetaField.keep("whatsapp.protocol_version");
    // chat identities: user part tokenised
    public static final MetaField JABBER_TO = MetaField.userUri("jabber.to");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new WhatsAppDissector(), ProbeClass.MAGIC),
                Probe.of(new DiscordDissector(), ProbeClass.STRUCTURE),
                Probe.of(new XmppDissector(), ProbeClass.MAGIC),
                Probe.of(new IrcDissector(), ProbeClass.LOOSE));
    }
}
