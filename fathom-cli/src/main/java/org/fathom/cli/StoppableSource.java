package org.fathom.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fathom.capture.CaptureWarning;
import org.fathom.capture.Packet;
import org.fathom.capture.PacketSource;

/**
 * A source that ends early when asked (a signal during {@code analyze}): {@link #read} says
 * {@link #END} once {@code stop} is set, so the engine ends every open flow, call and alert as a
 * record, exactly as at the end of the file, and nothing is cut in the middle.
 */
final class StoppableSource implements PacketSource {
    private final PacketSource source;
    private final AtomicBoolean stop;

    StoppableSource(PacketSource source, AtomicBoolean stop) {
        this.source = source;
        this.stop = stop;
    }

    @Override
    public int read(Packet packet) {
        return stop.get() ? END : source.read(packet);
    }

    @Override
    public void copyPrefixOnly(int bytesPerFrame) {
        source.copyPrefixOnly(bytesPerFrame);
    }

    @Override
    public void complete(Packet packet) {
        source.complete(packet);
    }

    @Override
    public void copyFrame(Packet read, byte[] dst, int at) {
        source.copyFrame(read, dst, at);
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public String format() {
        return source.format();
    }

    @Override
    public long position() {
        return source.position();
    }

    @Override
    public long size() {
        return source.size();
    }

    @Override
    public List<CaptureWarning> warnings() {
        return source.warnings();
    }

    @Override
    public void close() {
        source.close();
    }
}
