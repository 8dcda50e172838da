package org.fathom.protocol.rtp;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The rtp package declares itself: RTP: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField RTP_PAYLOAD_TYPE = MetaField.keep("rtp.payload_type");
    public static final MetaField RTP_PACKETS_C2S = MetaField.keep("rtp.packets_c2s");
    public static final MetaField RTP_PACKETS_S2C = MetaField.keep("rtp.packets_s2c");
    public static final MetaField RTP_LOSS_PCT_C2S = MetaField.keep("rtp.loss_pct_c2s");
    public static final MetaField RTP_LOSS_PCT_S2C = MetaField.keep("rtp.loss_pct_s2c");
    public static final MetaField RTP_JITTER_MS_C2S = MetaField.keep("rtp.jitter_ms_c2s");
    public static final MetaField RTP_JITTER_MS_S2C = MetaField.keep("rtp.jitter_ms_s2c");
    public static final MetaField RTP_MOS_C2S = MetaField.keep("rtp.mos_c2s");
    public static final MetaField RTP_MOS_S2C = MetaField.keep("rtp.mos_s2c");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new RtpDissector(), ProbeClass.STATISTICAL));
    }
}
