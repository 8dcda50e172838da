package org.fathom.output.ipfix;

import java.util.Locale;

/**
 * Where IPFIX goes: a transport and a collector's host and port, as written on the command line:
 * {@code HOST:PORT} (UDP), {@code udp://HOST:PORT} or {@code tcp://HOST:PORT}; an IPv6 address in
 * brackets ({@code [::1]:4739}).
 */
public record IpfixTarget(Transport transport, String host, int port) {
    public enum Transport {
        UDP, TCP;

        String scheme() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The IANA port of IPFIX (RFC 7011), for the help text. */
    public static final int IANA_PORT = 4739;

    /**
     * @throws IllegalArgumentException with a message for the user when the text is not
     *                                  [udp://|tcp://]HOST:PORT with a port 1..65535
     */
    public static IpfixTarget parse(String text) {
        String s = text.strip();
        Transport t = Transport.UDP;
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            String name = s.substring(0, scheme).toLowerCase(Locale.ROOT);
            t = switch (name) {
                case "udp" -> Transport.UDP;
                case "tcp" -> Transport.TCP;
                default -> throw bad(text, "transport '" + name + "' is not udp or tcp");
            };
            s = s.substring(scheme + 3);
        }
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw bad(text, "expected [IPv6]:PORT");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw bad(text, "no port");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw bad(text, "write an IPv6 address in brackets, [ADDRESS]:PORT");
            }
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
            throw bad(text, "no host");
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(text, "port '" + port + "' is not a number");
        }
        if (p < 1 || p > 65535) {
            throw bad(text, "port " + p + " is not between 1 and 65535");
        }
        return new IpfixTarget(t, host, p);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("--ipfix '" + text + "': " + why
                + " (expected HOST:PORT, udp://HOST:PORT or tcp://HOST:PORT)");
    }

    /** {@code udp://HOST:PORT}, as messages name the collector. */
    @Override
    public String toString() {
        return transport.scheme() + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
