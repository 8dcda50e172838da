package org.fathom.capture;

import java.util.List;

/**
 * A source that hands everything to another one: subclasses change what they must (when
 * {@link #read} ends, how it paces frames) and inherit the rest.
 */
public abstract class ForwardingSource implements PacketSource {
    protected final PacketSource source;

    protected ForwardingSource(PacketSource source) {
        this.source = source;
    }

    @Override
    public int read(Packet packet) {
        return source.read(packet);
    }

    @Override
    public void copyPrefixOnly(int bytesPerFrame) {
        source.copyPrefixOnly(bytesPerFrame);
    }

    @Override
    public void readInPlace() {
        source.readInPlace();
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
