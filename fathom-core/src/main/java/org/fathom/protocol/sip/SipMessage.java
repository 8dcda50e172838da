package org.fathom.protocol.sip;

/**
 * The parts of one SIP message that classification and call analytics use, as {@link SipParser}
 * read them. Strings are as captured, except {@code from}, {@code to}: only URIs the parser could
 * read, without display name or password, else null (the privacy guard pseudonymises what leaves
 * the engine). Cold: made once per SIP message, not per packet of other traffic.
 *
 * @param method      request method (one of {@link SipParser}'s, never text of the packet), null for a response
 * @param requestUri  request URI, null for a response
 * @param status      response status code, 0 for a request
 * @param callId      Call-ID, null when absent
 * @param cseq        CSeq number, -1 when absent or unreadable
 * @param cseqMethod  CSeq method in upper case, null when absent or unreadable
 * @param contentType first Content-Type, null when absent
 * @param q850Cause   cause of a {@code Reason: Q.850;cause=N} header, -1 when absent
 * @param userAgent   User-Agent, null when absent
 * @param server      Server, null when absent
 * @param body        the body (SDP) as text, cut to Content-Length and {@link SipParser#MAX_BODY}; "" when none
 * @param malformed   some header line had no field name (no colon, or a colon first)
 */
public record SipMessage(String method, String requestUri, int status, String callId, String from, String fromTag,
                         String to, String toTag, long cseq, String cseqMethod, String contentType, int q850Cause,
                         String userAgent, String server, String body, boolean malformed) {

    public boolean isRequest() {
        return method != null;
    }

    /** Whether it carries what names a transaction of a dialog: a Call-ID and a readable CSeq. */
    public boolean hasDialogKeys() {
        return callId != null && !callId.isEmpty() && cseq >= 0 && cseqMethod != null;
    }
}
