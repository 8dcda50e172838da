package org.fathom.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fathom.record.FlowRecord;

/**
 * Traffic issues over the flows of a run, for the summary's "Traffic issues" section: counted from
 * the final records' fields ({@code tcp.*}, {@code dns.*}, {@code http.*}, {@code tls.*}; see
 * docs/EVENTS.md). Interim records are not counted (their figures are the flow's so far, and the
 * final record repeats them).
 */
public final class TrafficIssues {
    public long tcpFlows;
    public long handshakes;
    public double rttServerMsSum;
    public double rttClientMsSum;
    public long refused;
    public long unanswered;
    public long resetByClient;
    public long resetByServer;
    public long retransFlows;
    public long retransSegments;
    public long retransBytes;
    public long outOfOrderSegments;
    public long zeroWindow;
    public long dnsResponses;
    public double dnsMsSum;
    public long dnsTimed;
    public long dnsNxdomain;
    public long dnsServfail;
    public long dnsOtherErrors;
    public long dnsNoAnswer;
    public long httpResponses;
    public long http4xx;
    public long http5xx;
    public double httpMsSum;
    public long httpTimed;
    public long tlsHandshakes;
    public double tlsMsSum;
    public long tlsAlerts;
    public long tlsFailed;

    void add(FlowRecord r) {
        Map<String, Object> m = r.metadata();
        boolean tcp = "TCP".equals(r.l4());
        if (tcp) {
            tcpFlows++;   // every TCP flow, also one whose record has no fields at all
        }
        if (m.isEmpty()) {
            return;
        }
        // one pass over the record's fields (a flow has a handful), not a lookup per figure
        Object rttServer = null, rttClient = null, resetBy = null, rcode = null, dnsQuery = null, dnsMs = null;
        Object httpStatus = null, httpMs = null, tlsClientVersion = null, tlsVersion = null, tlsMs = null;
        boolean refusedFlag = false, unansweredFlag = false, tlsAlert = false;
        long retrans = 0, retransB = 0, ooo = 0, zw = 0, e4 = 0, e5 = 0;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "tcp.rtt_server_ms" -> rttServer = v;
                case "tcp.rtt_client_ms" -> rttClient = v;
                case "tcp.refused" -> refusedFlag = v != null;
                case "tcp.unanswered" -> unansweredFlag = v != null;
                case "tcp.reset_by" -> resetBy = v;
                case "tcp.retrans_c2s", "tcp.retrans_s2c" -> retrans += num(v);
                case "tcp.retrans_bytes_c2s", "tcp.retrans_bytes_s2c" -> retransB += num(v);
                case "tcp.out_of_order_c2s", "tcp.out_of_order_s2c" -> ooo += num(v);
                case "tcp.zero_window_c2s", "tcp.zero_window_s2c" -> zw += num(v);
                case "dns.rcode" -> rcode = v;
                case "dns.query" -> dnsQuery = v;
                case "dns.response_ms" -> dnsMs = v;
                case "http.status" -> httpStatus = v;
                case "http.errors_4xx" -> e4 = num(v);
                case "http.errors_5xx" -> e5 = num(v);
                case "http.response_ms" -> httpMs = v;
                case "tls.client_version" -> tlsClientVersion = v;
                case "tls.version" -> tlsVersion = v;
                case "tls.handshake_ms" -> tlsMs = v;
                case "tls.alert" -> tlsAlert = v != null;
                default -> { }
            }
        }
        if (tcp) {
            if (rttServer instanceof Double sd && rttClient instanceof Double cd) {
                handshakes++;
                rttServerMsSum += sd;
                rttClientMsSum += cd;
            }
            if (refusedFlag) {
                refused++;
            }
            if (unansweredFlag) {
                unanswered++;
            }
            if ("client".equals(resetBy)) {
                resetByClient++;
            } else if ("server".equals(resetBy)) {
                resetByServer++;
            }
            if (retrans > 0) {
                retransFlows++;
                retransSegments += retrans;
                retransBytes += retransB;
            }
            outOfOrderSegments += ooo;
            zeroWindow += zw;
        }
        if ("DNS".equals(r.protocol())) {
            if (rcode != null) {
                dnsResponses++;
                switch (rcode.toString()) {
                    case "NOERROR" -> { }
                    case "NXDOMAIN" -> dnsNxdomain++;
                    case "SERVFAIL" -> dnsServfail++;
                    default -> dnsOtherErrors++;
                }
            } else if (dnsQuery != null && r.packetsS2c() == 0) {
                dnsNoAnswer++;
            }
            if (dnsMs instanceof Double d) {
                dnsTimed++;
                dnsMsSum += d;
            }
        }
        if (httpStatus instanceof Long st) {
            httpResponses++;
            http4xx += e4 > 0 ? e4 : st >= 400 && st < 500 ? 1 : 0;
            http5xx += e5 > 0 ? e5 : st >= 500 ? 1 : 0;
            if (httpMs instanceof Double d) {
                httpTimed++;
                httpMsSum += d;
            }
        }
        if (tlsClientVersion != null || tlsVersion != null) {
            if (tlsMs instanceof Double d) {
                tlsHandshakes++;
                tlsMsSum += d;
            }
            if (tlsAlert) {
                tlsAlerts++;
            }
            if (tlsClientVersion != null && tlsVersion == null && r.packetsS2c() > 0) {
                tlsFailed++;   // a ClientHello the server answered, but not with a ServerHello
            }
        }
    }

    void merge(TrafficIssues o) {
        tcpFlows += o.tcpFlows;
        handshakes += o.handshakes;
        rttServerMsSum += o.rttServerMsSum;
        rttClientMsSum += o.rttClientMsSum;
        refused += o.refused;
        unanswered += o.unanswered;
        resetByClient += o.resetByClient;
        resetByServer += o.resetByServer;
        retransFlows += o.retransFlows;
        retransSegments += o.retransSegments;
        retransBytes += o.retransBytes;
        outOfOrderSegments += o.outOfOrderSegments;
        zeroWindow += o.zeroWindow;
        dnsResponses += o.dnsResponses;
        dnsMsSum += o.dnsMsSum;
        dnsTimed += o.dnsTimed;
        dnsNxdomain += o.dnsNxdomain;
        dnsServfail += o.dnsServfail;
        dnsOtherErrors += o.dnsOtherErrors;
        dnsNoAnswer += o.dnsNoAnswer;
        httpResponses += o.httpResponses;
        http4xx += o.http4xx;
        http5xx += o.http5xx;
        httpMsSum += o.httpMsSum;
        httpTimed += o.httpTimed;
        tlsHandshakes += o.tlsHandshakes;
        tlsMsSum += o.tlsMsSum;
        tlsAlerts += o.tlsAlerts;
        tlsFailed += o.tlsFailed;
    }

    private static long num(Object o) {
        return o instanceof Long l ? l : 0;
    }

    private static String avg(double sum, long n) {
        return n == 0 ? "-" : String.format("%.1f ms", sum / n);
    }

    /** The summary's lines (empty when no TCP, DNS, HTTP or TLS flow was seen). */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        if (tcpFlows > 0) {
            out.add(String.format("TCP        %,d flows; handshake RTT %s server side, %s client side (%,d handshakes)",
                    tcpFlows, avg(rttServerMsSum, handshakes), avg(rttClientMsSum, handshakes), handshakes));
            out.add(String.format("           %,d refused, %,d never answered, %,d reset (%,d by client, %,d by server)",
                    refused, unanswered, resetByClient + resetByServer, resetByClient, resetByServer));
            out.add(String.format("           %,d retransmitted segments (%,d bytes) in %,d flows; %,d out of order; %,d zero-window",
                    retransSegments, retransBytes, retransFlows, outOfOrderSegments, zeroWindow));
        }
        if (dnsResponses + dnsNoAnswer > 0) {
            out.add(String.format("DNS        %,d answered (response %s), %,d NXDOMAIN, %,d SERVFAIL, %,d other errors, %,d never answered",
                    dnsResponses, avg(dnsMsSum, dnsTimed), dnsNxdomain, dnsServfail, dnsOtherErrors, dnsNoAnswer));
        }
        if (httpResponses > 0) {
            out.add(String.format("HTTP       %,d flows answered (response %s), %,d 4xx, %,d 5xx",
                    httpResponses, avg(httpMsSum, httpTimed), http4xx, http5xx));
        }
        if (tlsHandshakes + tlsAlerts + tlsFailed > 0) {
            out.add(String.format("TLS        %,d handshakes (ServerHello after %s), %,d alerts, %,d failed handshakes",
                    tlsHandshakes, avg(tlsMsSum, tlsHandshakes), tlsAlerts, tlsFailed));
        }
        return out;
    }
}
