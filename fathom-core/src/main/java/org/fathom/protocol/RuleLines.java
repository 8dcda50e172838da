package org.fathom.protocol;

import java.io.BufferedReader;
import java.io.IOException;

/** The line syntax shared by the catalogs' rule files: fields split by blanks, {@code #} comments. */
final class RuleLines {
    private RuleLines() {}

    @FunctionalInterface
    interface Rule {
        /** One non-empty line's fields; {@code where} is "source line n" for error messages. */
        void accept(String[] fields, String where);
    }

    static void read(BufferedReader r, String source, Rule rule) throws IOException {
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            rule.accept(fields(line), source + " line " + n);
        }
    }

    /** The whitespace-separated fields of a stripped, non-empty line (no regex: rule files hold thousands of lines). */
    static String[] fields(String line) {
        int count = 0;
        boolean in = false;
        for (int i = 0; i < line.length(); i++) {
            boolean ws = Character.isWhitespace(line.charAt(i));
            if (!ws && !in) {
                count++;
            }
            in = !ws;
        }
        String[] out = new String[count];
        int k = 0;
        int start = -1;
        for (int i = 0; i <= line.length(); i++) {
            boolean ws = i == line.length() || Character.isWhitespace(line.charAt(i));
            if (!ws && start < 0) {
                start = i;
            } else if (ws && start >= 0) {
                out[k++] = line.substring(start, i);
                start = -1;
            }
        }
        return out;
    }

    /** The last two fields as application and category, checked to be plain names. */
    static Service service(String[] fields, String where) {
        String app = fields[fields.length - 2];
        String category = fields[fields.length - 1];
        if (!name(app) || !name(category) || category.indexOf('.') >= 0) {
            throw new IllegalArgumentException(where + ": '" + app + " " + category
                    + "' is not 'application category' (names of letters, digits, '_', '-', '+', '.')");
        }
        return new Service(app, category);
    }

    private static boolean name(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '+' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
