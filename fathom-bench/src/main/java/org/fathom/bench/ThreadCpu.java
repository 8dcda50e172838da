package org.fathom.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the benchmark thread per operation, printed after each iteration. On a machine
 * shared with other work, JMH's average time (wall clock) includes the time the thread waited
 * for a core; this figure does not (cache interference from the other work still shows).
 */
final class ThreadCpu {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private long cpu0;
    private long ops0;
    /** Operations done so far; benchmarks add their batch size per invocation. */
    long ops;

    void start() {
        cpu0 = MX.getCurrentThreadCpuTime();
        ops0 = ops;
    }

    void report() {
        long cpu = MX.getCurrentThreadCpuTime() - cpu0;
        long n = ops - ops0;
        if (n > 0) {
            System.out.printf("[thread CPU %.1f ns/op] ", (double) cpu / n);
        }
    }
}
