package org.fathom.flink;

/**
 * One record of a probe's Kafka topics as the job sees it: a flow, a call or an alert (kind), with
 * the fields the windows use. A flat POJO (public fields, no-argument constructor), so that Flink
 * serialises it with its POJO serializer, not with Kryo. Records that are not valid JSON of one of
 * the three kinds come as kind {@link #MALFORMED} with their text in {@link #raw}.
 */
public class Event {
    public static final String FLOW = "flow", CALL = "call", ALERT = "alert", MALFORMED = "malformed";

    public String kind;
    public String probe;
    /** Event time, ms since the epoch: a flow's last_seen, a call's or an alert's end. */
    public long time;
    /** The window's group: the probe, or "*" for the network-wide copy. */
    public String group;
    /** The record as received (for the unprocessed topic: late or malformed records). */
    public String raw;

    // flow
    public String application;
    public String category;
    public String client;
    public long packets;
    public long bytesC2s;
    public long bytesS2c;
    /** An interim record (end_reason active): traffic, not a new flow. */
    public boolean interim;

    // call
    public String caller;
    public String outcome;
    public boolean answered;
    /** Post-dial delay in ms, -1 when the record has none. */
    public long pddMs = -1;
    public boolean emergency;
    /** MOS of each media stream with packets. */
    public double[] mos;

    // alert
    public String alertKind;
    public String targetIp;
    public long targetPort;
    public String targetProtocol;
    public long start;
    public long end;
    public long bytes;
    public double peakPps;
    public double peakBps;
    public long sourceCount;
    public String[] topSources;

    public Event() {
    }

    /** A copy for another window group. */
    public Event withGroup(String g) {
        Event e = new Event();
        e.kind = kind; e.probe = probe; e.time = time; e.group = g; e.raw = raw;
        e.application = application; e.category = category; e.client = client; e.packets = packets;
        e.bytesC2s = bytesC2s; e.bytesS2c = bytesS2c; e.interim = interim;
        e.caller = caller; e.outcome = outcome; e.answered = answered; e.pddMs = pddMs; e.emergency = emergency; e.mos = mos;
        e.alertKind = alertKind; e.targetIp = targetIp; e.targetPort = targetPort; e.targetProtocol = targetProtocol;
        e.start = start; e.end = end; e.bytes = bytes; e.peakPps = peakPps; e.peakBps = peakBps;
        e.sourceCount = sourceCount; e.topSources = topSources;
        return e;
    }
}
