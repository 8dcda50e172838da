package org.fathom.protocol.samples;

/** One payload of a test flow: a UDP datagram, or a piece of one direction of a TCP stream. */
public record Msg(boolean fromClient, byte[] bytes) {
    public static Msg c(byte[] b) {
        return new Msg(true, b);
    }

    public static Msg s(byte[] b) {
        return new Msg(false, b);
    }
}
