package org.fathom.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import org.fathom.capture.ForwardingSource;
import org.fathom.capture.Packet;
import org.fathom.capture.PacketSource;

/**
 * A source that ends early when asked (a signal during {@code analyze}): {@link #read} says
 * {@link #END} once {@code stop} is set, so the engine ends every open flow, call and alert as a
 * record, exactly as at the end of the file, and nothing is cut in the middle.
 */
final class StoppableSource extends ForwardingSource {
    private final AtomicBoolean stop;

    StoppableSource(PacketSource source, AtomicBoolean stop) {
        super(source);
        this.stop = stop;
    }

    @Override
    public int read(Packet packet) {
        return stop.get() ? END : source.read(packet);
    }
}
