package org.fathom.cli;

import java.io.IOException;
import org.fathom.output.AsyncSink;
import org.fathom.output.ipfix.IpfixSink;
import org.fathom.output.ipfix.IpfixTarget;
import org.fathom.record.FlowSink;
import picocli.CommandLine.Option;

/**
 * The IPFIX export of commands that release flow records ({@code analyze} and {@code live}):
 * {@code --ipfix [udp://|tcp://]HOST:PORT}. A mixin, so that each command adds it in one place.
 */
final class IpfixOptions {
    @Option(names = "--ipfix", paramLabel = "HOST:PORT", description = "Export flow records as IPFIX (RFC 7011) to a collector: HOST:PORT or udp://HOST:PORT over UDP, tcp://HOST:PORT over TCP (IANA port " + IpfixTarget.IANA_PORT + "). Its queue drops records when full unless --on-full is given (see docs/EXPORTS.md).")
    String ipfix;

    /** Whether an IPFIX export was asked for. */
    boolean enabled() {
        return ipfix != null;
    }

    /** @throws UserError when the value is not [udp://|tcp://]HOST:PORT */
    IpfixTarget target() {
        try {
            return IpfixTarget.parse(ipfix);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** @throws UserError in aggregate mode, which releases no flow records to export */
    void check(org.fathom.privacy.PrivacyPolicy policy) {
        if (enabled() && policy.mode() == org.fathom.privacy.PrivacyMode.AGGREGATE) {
            throw new UserError("--ipfix exports flow records, and aggregate mode releases none: use --aggregates FILE");
        }
    }

    /**
     * A network sink drops on a full queue (the capture does not wait for a collector, and the
     * drops are counted in the summary), unless the user chose a policy with {@code --on-full}
     * ({@code chosen}, null when not given).
     */
    static AsyncSink.Overflow overflow(AsyncSink.Overflow chosen) {
        return chosen != null ? chosen : AsyncSink.Overflow.DROP;
    }

    /**
     * Opens the export: a UDP socket, or a TCP connection to the collector.
     *
     * @throws UserError when the host is unknown or a TCP collector cannot be reached
     */
    FlowSink open(IpfixTarget target) {
        try {
            return IpfixSink.open(target);
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            String prefix = "IPFIX collector " + target + ": ";
            throw new UserError("--ipfix " + target + ": " + (m.startsWith(prefix) ? m.substring(prefix.length()) : m));
        }
    }
}
