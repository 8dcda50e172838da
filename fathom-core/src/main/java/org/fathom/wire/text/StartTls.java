package org.fathom.wire.text;

import org.fathom.protocol.FlowContext;

/**
 * The switch of a clear-text session to TLS on the same connection: SMTP and IMAP STARTTLS, POP3
 * STLS, FTP AUTH TLS. The client asks ({@link #request}); a positive answer from the server ends
 * what can be read of the flow, so the upgrade is recorded under the protocol's key (for example
 * {@code smtp.starttls}), the flow is named after the protocol's TLS form (as nDPI does: {@code SMTPS},
 * {@code POPS}, {@code IMAPS}, {@code FTPS}) and the dissector answers DONE; a final answer that is
 * not the positive one leaves the session in clear.
 *
 * <p>One constant per protocol; whether the client asked is kept in the {@link TextSession}.
 *
 * @param key      metadata key set to true on an upgrade
 * @param protocol the protocol's name once it runs over TLS
 * @param category that protocol's category
 */
public record StartTls(String key, String protocol, String category) {
    /** The client of {@code s} asked to switch to TLS. */
    public void request(TextSession s) {
        s.tlsRequested = true;
    }

    /** Whether the client of {@code s} asked and no final answer came yet. */
    public boolean requested(TextSession s) {
        return s.tlsRequested;
    }

    /**
     * Looks at one line of the server's answer.
     *
     * @param accepted  whether the line is the positive answer to the request
     * @param finalLine whether the line ends an answer (a later answer cannot be to the request)
     * @return true when the session switched to TLS: the upgrade is recorded and the dissector
     *         should answer DONE
     */
    public boolean answered(TextSession s, FlowContext ctx, boolean accepted, boolean finalLine) {
        if (s.tlsRequested && accepted) {
            s.tlsRequested = false;
            ctx.put(key, Boolean.TRUE);
            ctx.setProtocol(protocol, category); // nDPI names the flow by what follows: TLS
            return true;
        }
        if (finalLine) {
            s.tlsRequested = false; // refused
        }
        return false;
    }
}
