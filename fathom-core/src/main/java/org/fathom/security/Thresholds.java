package org.fathom.security;

/**
 * Detection thresholds (see docs/SECURITY.md). Rates are per destination over a sliding 1 s
 * window; a flood also needs its rate above {@code baselineFactor} times the destination's learned
 * baseline (an exponentially weighted average of its earlier 1 s rates).
 */
public record Thresholds(
        double synPps, double ackPps, double rstPps, double udpPps, double icmpPps, double fragmentPps,
        double httpRps, double amplificationPps, double amplificationBps, double baselineFactor,
        int scanPorts, int scanHosts, int spamServers, int spamRcpts, int bruteForceAttempts, int sipRegisters) {

    public static final Thresholds DEFAULTS = new Thresholds(
            500, 2000, 500, 500, 250, 500,
            500, 500, 2_000_000, 5,
            100, 50, 30, 100, 20, 60);
}
