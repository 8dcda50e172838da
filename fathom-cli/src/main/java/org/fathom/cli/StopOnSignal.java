package org.fathom.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the commands that run without end ({@code live}, {@code inline}) stop: SIGINT or SIGTERM
 * stops the source, the hook waits until the main thread has written every record (at most
 * {@link #FLUSH_LIMIT_SECONDS}), then ends the process with the run's status (a JVM ended by a
 * signal would exit 128+n).
 */
final class StopOnSignal {
    /** Longest a signal waits for the records to be written before the process ends anyway. */
    static final long FLUSH_LIMIT_SECONDS = 60;

    /** The run itself, on the main thread; {@code signalled} is set once a signal stopped the source. */
    @FunctionalInterface
    interface Run {
        int run(AtomicBoolean signalled);
    }

    private StopOnSignal() {
    }

    /**
     * Runs {@code body} with {@code stop} as the signals' action.
     *
     * @return the run's exit status (a user error is one line and {@link Main#EXIT_USAGE})
     */
    static int run(Runnable stop, Run body) {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger status = new AtomicInteger(Main.EXIT_OK);
        AtomicBoolean signalled = new AtomicBoolean();
        Thread hook = Thread.ofPlatform().name("fathom-stop").unstarted(() -> {
            signalled.set(true);
            stop.run();
            try {
                if (!done.await(FLUSH_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                    System.err.println("fathom: stopped, but the records were not all written within "
                            + FLUSH_LIMIT_SECONDS + " s");
                    status.set(Main.EXIT_PARTIAL);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(status.get());
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            status.set(body.run(signalled));
        } catch (UserError e) {
            System.err.println("fathom: " + e.getMessage());
            status.set(Main.EXIT_USAGE);
        } catch (RuntimeException | Error e) {
            // a bug, not the user's mistake: say so here, as a signal's hook may end the process
            // before picocli could
            System.err.println("fathom: internal error: " + e);
            e.printStackTrace();
            status.set(Main.EXIT_USAGE);
        } finally {
            done.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook ends the process with this status
        }
        return status.get();
    }
}
