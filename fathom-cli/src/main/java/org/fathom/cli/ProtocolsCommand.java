package org.fathom.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.fathom.protocol.ProtocolList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fathom protocols}: every protocol and service Fathom can report, like {@code ndpiReader -a 0}. */
@Command(name = "protocols", mixinStandardHelpOptions = true,
        description = {"Lists every protocol and service Fathom can report.",
            "",
            "Each line: name (nDPI's spelling), category, and how it is detected: dpi (payload",
            "dissection), domain (a host name from TLS/QUIC SNI, certificate names, HTTP Host, DNS",
            "or a STUN realm, in the service catalog), address (a provider's address block), port",
            "(a default port: the last resort, confidence port). Columns are separated by tabs;",
            "the last gives an example of the evidence.",
            "See docs/CLASSIFICATION.md."})
final class ProtocolsCommand implements Callable<Integer> {
    @Option(names = "--count", description = "Print only the number of names.")
    boolean count;

    @Override
    public Integer call() {
        List<ProtocolList.Entry> all = ProtocolList.defaults();
        PrintStream out = System.out;
        if (count) {
            out.println(all.size());
            return Main.EXIT_OK;
        }
        out.println("name\tcategory\tdetection\tevidence");
        for (ProtocolList.Entry e : all) {
            String how = e.methods().stream().map(ProtocolList.Method::label).collect(Collectors.joining(","));
            String ev = e.evidence().entrySet().stream().map(x -> x.getKey().label() + ": " + x.getValue())
                    .collect(Collectors.joining("; "));
            out.println(e.name() + "\t" + e.category() + "\t" + how + "\t" + ev);
        }
        return Main.EXIT_OK;
    }
}
