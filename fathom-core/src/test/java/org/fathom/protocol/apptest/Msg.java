package org.fathom.protocol.apptest;

import java.nio.charset.StandardCharsets;

/** One payload of a conversation, from the client or the server. */
public record Msg(boolean fromClient, byte[] bytes) {
    public static Msg c(byte[] b) {
        return new Msg(true, b);
    }

    public static Msg s(byte[] b) {
        return new Msg(false, b);
    }

    public static Msg c(String text) {
        return new Msg(true, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Msg s(String text) {
        return new Msg(false, text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
