package org.fathom.record;

import java.util.List;

/**
 * One detected attack or abuse, as it leaves the engine: what ({@code kind}), against whom
 * ({@code target}: address, and port/protocol where it applies), when, how big, and from how many
 * sources. An attack that goes on is one alert, updated, not a stream of duplicates.
 *
 * @param kind              syn_flood, udp_flood, icmp_flood, ack_flood, rst_flood, fragment_flood,
 *                          dns_amplification, ntp_amplification, ssdp_amplification,
 *                          memcached_amplification, cldap_amplification, snmp_amplification,
 *                          http_flood, port_scan, host_scan, spam_run, brute_force
 * @param targetPort        0 where no port applies
 * @param targetProtocol    L4 name, e.g. TCP
 * @param detectionDelayMs  capture time from the attack's first packet to the alert
 * @param topSources        the heaviest sources as 128-bit addresses (hi, lo pairs), at most 10
 */
public record AlertRecord(
        String kind,
        long targetHi, long targetLo, int targetPort, String targetProtocol,
        long startNanos, long endNanos,
        double peakPps, double peakBps,
        long packets, long bytes,
        long sourceCount,
        List<long[]> topSources,
        long detectionDelayMs,
        String detail) implements ExportRecord {

    public AlertRecord {
        topSources = topSources == null ? List.of() : List.copyOf(topSources);
    }

    public AlertRecord withAddresses(long tHi, long tLo, List<long[]> sources) {
        return new AlertRecord(kind, tHi, tLo, targetPort, targetProtocol, startNanos, endNanos, peakPps, peakBps,
                packets, bytes, sourceCount, sources, detectionDelayMs, detail);
    }
}
