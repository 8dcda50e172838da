package org.fathom.voip;

/**
 * The parts of one SIP message that call analytics needs. Strings are as captured (the privacy
 * guard pseudonymises what leaves the engine).
 *
 * @param method     request method, null for a response
 * @param requestUri request URI, null for a response
 * @param status     response status code, 0 for a request
 * @param q850Cause  cause of a {@code Reason: Q.850;cause=N} header, -1 when absent
 * @param body       the body (SDP) as text, "" when none
 */
public record SipMessage(String method, String requestUri, int status, String callId, String from, String fromTag,
                         String to, String toTag, long cseq, String cseqMethod, String contentType, int q850Cause,
                         String body) {

    public boolean isRequest() {
        return method != null;
    }
}
