package org.fathom.output;

/** TCP flags seen, as letters in header order (CWR ECE URG ACK PSH RST SYN FIN): e.g. {@code "SAF"}. */
final class TcpFlagNames {
    private static final String[] CACHE = new String[256];

    static {
        String letters = "FSRPAUEC";
        for (int f = 0; f < 256; f++) {
            StringBuilder sb = new StringBuilder();
            for (int bit = 7; bit >= 0; bit--) {
                if ((f & (1 << bit)) != 0) {
                    sb.append(letters.charAt(bit));
                }
            }
            CACHE[f] = sb.toString();
        }
    }

    private TcpFlagNames() {}

    static String of(int flags) {
        return CACHE[flags & 0xFF];
    }
}
