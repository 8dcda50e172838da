package org.fathom.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fathom.store.Store;
import org.fathom.store.StoreException;
import org.fathom.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the overview dashboard over a store filled earlier (by 'analyze --store' or 'live --store').",
            "",
            "The store is opened read-only; the dashboard's time range ends at the store's newest record. "
                    + "Stop with Ctrl-C or SIGTERM.",
        },
        footer = {
            "",
            "Example: fathom analyze samples/http-loopback.pcap --store /tmp/st && fathom serve --store /tmp/st --http 127.0.0.1:8080",
            "",
            "Exit status: 0 stopped; 2 no store, store in use, bad option, address cannot be bound, or a",
            "non-loopback address without --http-users or --http-allow-unauthenticated.",
        },
        sortOptions = false)
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--store", paramLabel = "DIR", required = true, description = "The store's folder.")
    Path store;

    @Mixin
    HttpOptions http = new HttpOptions();

    /** Counted down by a test to stop the server (a signal ends the process instead). */
    final CountDownLatch stop = new CountDownLatch(1);
    /** The running server, for tests. */
    volatile WebServer server;

    @Override
    public Integer call() throws Exception {
        if (!http.enabled()) {
            throw new UserError("give the address to serve on: --http ADDR:PORT (e.g. 127.0.0.1:8080)");
        }
        HttpOptions.Prepared p = http.prepare();
        Store s;
        try {
            s = Store.openReadOnly(store);
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
        try (s; WebServer w = HttpOptions.start(p, s, false, Map.of())) {
            server = w;
            System.err.println("fathom: serving the dashboard of " + store + " on " + w.url() + "; stop with Ctrl-C");
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(stop::countDown));
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Main.EXIT_OK;
    }
}
