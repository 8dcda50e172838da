package org.fathom.protocol.mail;

import org.fathom.wire.text.Ascii;

/** Shared command-word helpers of the mail dissectors. */
final class MailCommands {
    private MailCommands() {}

    /** The command word (letters, up to 12) at the start of a line if it is one of {@code known}; else null. */
    static String command(byte[] b, int off, int len, String[] known) {
        int w = 0;
        while (w < len && w <= 12 && Ascii.isAlpha(b[off + w])) {
            w++;
        }
        if (w == 0 || w > 12 || (w < len && b[off + w] != ' ')) {
            return null;
        }
        for (String k : known) {
            if (k.length() == w && Ascii.startsWithIgnoreCase(b, off, len, k)) {
                return k;
            }
        }
        return null;
    }

    /** The argument after the command word and one space (trimmed), as bounded text, or "". */
    static String argument(byte[] b, int off, int len, int wordLen, int max) {
        int p = off + wordLen;
        int end = off + len;
        while (p < end && b[p] == ' ') {
            p++;
        }
        int e = end;
        while (e > p && b[e - 1] == ' ') {
            e--;
        }
        if (e <= p || !Ascii.allText(b, p, e - p)) {
            return "";
        }
        return Ascii.string(b, p, e - p, max);
    }

    /** Whether a SASL mechanism name sends the password in clear (PLAIN, LOGIN). */
    static boolean cleartextSasl(String mechanism) {
        return mechanism.regionMatches(true, 0, "PLAIN", 0, 5) && (mechanism.length() == 5 || mechanism.charAt(5) == ' ')
                || mechanism.regionMatches(true, 0, "LOGIN", 0, 5) && (mechanism.length() == 5 || mechanism.charAt(5) == ' ');
    }
}
