package org.fathom.protocol.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Risk;
import org.fathom.protocol.testing.TestFlow;

/** Runs one dissector over a test flow the way the engine does. */
public final class Drive {
    private Drive() {}

    /** What came out of a run. */
    public record Outcome(boolean recognised, String protocol, String application, Map<String, Object> meta, Set<Risk> risks,
            String host) {
    }

    /** Feeds every message as one chunk. */
    public static Outcome run(Dissector d, TestFlow f, List<Msg> msgs) {
        List<Msg> chunks = new ArrayList<>(msgs);
        return feed(d, f, chunks);
    }

    /** Feeds the given chunks in order, stopping as the engine would. */
    public static Outcome feed(Dissector d, TestFlow f, List<Msg> chunks) {
        boolean matched = false;
        boolean finished = false;
        for (Msg m : chunks) {
            if (finished || m.bytes().length == 0) {
                continue;
            }
            f.packet(m.fromClient());
            int r = d.inspect(f, m.fromClient(), m.bytes(), 0, m.bytes().length);
            if (r < Dissector.NO || r > Dissector.DONE) {
                throw new AssertionError("verdict out of range: " + r);
            }
            if (!matched) {
                if (r == Dissector.NO) {
                    finished = true;
                } else if (r == Dissector.MATCH) {
                    matched = true;
                } else if (r == Dissector.DONE) {
                    matched = true;
                    finished = true;
                }
            } else if (r == Dissector.DONE || r == Dissector.NO) {
                finished = true;
            }
        }
        String proto = matched ? (f.protocol != null ? f.protocol : d.descriptor().name()) : null;
        return new Outcome(matched, proto, f.application, matched ? new TreeMap<>(f.meta) : Map.of(), f.risks, f.host);
    }

    /**
     * Feeds the TCP messages split at every byte of message {@code i} into two chunks, and once one
     * byte at a time, and returns every outcome for comparison with the unsplit one.
     */
    public static List<Outcome> allSplits(Dissector d, Supplier<TestFlow> flow, List<Msg> msgs) {
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < msgs.size(); i++) {
            byte[] b = msgs.get(i).bytes();
            for (int k = 1; k < b.length; k++) {
                List<Msg> chunks = new ArrayList<>(msgs.subList(0, i));
                chunks.add(new Msg(msgs.get(i).fromClient(), java.util.Arrays.copyOfRange(b, 0, k)));
                chunks.add(new Msg(msgs.get(i).fromClient(), java.util.Arrays.copyOfRange(b, k, b.length)));
                chunks.addAll(msgs.subList(i + 1, msgs.size()));
                out.add(feed(d, flow.get(), chunks));
            }
        }
        List<Msg> bytes = new ArrayList<>();
        for (Msg m : msgs) {
            for (byte x : m.bytes()) {
                bytes.add(new Msg(m.fromClient(), new byte[] {x}));
            }
        }
        out.add(feed(d, flow.get(), bytes));
        // and each direction's messages coalesced into one stream, when they follow each other
        List<Msg> merged = new ArrayList<>();
        for (Msg m : msgs) {
            Msg last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.fromClient() == m.fromClient()) {
                merged.set(merged.size() - 1, new Msg(m.fromClient(), Hex.cat(last.bytes(), m.bytes())));
            } else {
                merged.add(m);
            }
        }
        out.add(feed(d, flow.get(), merged));
        return out;
    }
}
