package org.fathom.policy;

/**
 * A policy file that cannot be used: the message is one line naming the file, the line and the
 * problem ({@code policy.yaml:7: unknown match key 'aplication'}), for the command line to print
 * as it is (exit status 2).
 */
public final class PolicyException extends IllegalArgumentException {
    private final int line;

    public PolicyException(String file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.line = line;
    }

    /** The 1-based line of the problem, 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
