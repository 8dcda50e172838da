package org.fathom.protocol.jsonrpc;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * JSON-RPC 2.0 (jsonrpc.org/specification) spoken directly over TCP: the first message of either
 * direction is a request, notification or response object, or a batch of them
 * ({@link JsonRpcMessage}); messages follow one another, often newline-delimited. Also with the
 * base protocol of the Language Server Protocol, which frames each message behind a
 * {@code Content-Length: N} header block ended by an empty line (LSP specification, "Base
 * Protocol"): there the header block must be well formed and the message follow it. nDPI's
 * json-rpc.c takes any TCP payload starting with '{' that contains {@code "jsonrpc":}; here the
 * member must be the version string "2.0" and a method, result or error member must come with it.
 * JSON-RPC over HTTP is named by the HTTP dissector. It writes no metadata.
 */
public final class JsonRpcDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("JSON-RPC", "RPC").withProbeDepth(4);
    /** Bytes of a direction's first message read at most before deciding. */
    private static final int CAP = 4096;
    private static final String LENGTH = "Content-Length:";
    private static final int MAX_HEADER = 256;
    private static final long[] FIRST = Dissector.bytes('{', '[', 'C');

    public JsonRpcDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (ctx.l4() != 6 || len <= 0) {
            return len <= 0 ? NEED_MORE : NO;
        }
        if (b[off] != 'C') {
            return JsonRpcMessage.judge(b, off, len);
        }
        // LSP base protocol: header fields, each "Name: value\r\n", Content-Length first here
        int n = Math.min(len, LENGTH.length());
        for (int i = 0; i < n; i++) {
            if (b[off + i] != LENGTH.charAt(i)) {
                return NO;
            }
        }
        if (len < LENGTH.length()) {
            return NEED_MORE;
        }
        int p = off + LENGTH.length();
        int end = off + Math.min(len, MAX_HEADER);
        while (p < end && b[p] == ' ') {
            p++;
        }
        int digits = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            p++;
            digits++;
        }
        if (p == end) {
            return len >= MAX_HEADER || digits > 9 ? NO : NEED_MORE;
        }
        if (digits == 0 || digits > 9 || b[p] != '\r') {
            return NO;
        }
        // further header lines (Content-Type), then the empty line
        while (true) {
            if (p + 1 >= end) {
                return len >= MAX_HEADER ? NO : NEED_MORE;
            }
            if (b[p] != '\r' || b[p + 1] != '\n') {
                return NO;
            }
            p += 2;
            if (p + 1 >= end) {
                return len >= MAX_HEADER ? NO : NEED_MORE;
            }
            if (b[p] == '\r' && b[p + 1] == '\n') {
                p += 2;
                break;
            }
            while (p < end && b[p] >= 0x20 && b[p] < 0x7F) {
                p++;
            }
            if (p == end) {
                return len >= MAX_HEADER ? NO : NEED_MORE;
            }
        }
        return JsonRpcMessage.judge(b, p, off + len - p);
    }
}
