package org.fathom.capture;

import java.nio.ByteOrder;
import java.util.Arrays;

/** A growable byte array with integer writes in a chosen byte order, for building test captures. */
final class ByteSink {
    private byte[] buf = new byte[256];
    private int size;

    int size() {
        return size;
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, size);
    }

    ByteSink u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    ByteSink u16(int v, ByteOrder order) {
        if (order == ByteOrder.BIG_ENDIAN) {
            return u8(v >>> 8).u8(v);
        }
        return u8(v).u8(v >>> 8);
    }

    ByteSink u32(long v, ByteOrder order) {
        if (order == ByteOrder.BIG_ENDIAN) {
            return u16((int) (v >>> 16), order).u16((int) v, order);
        }
        return u16((int) v, order).u16((int) (v >>> 16), order);
    }

    ByteSink u64(long v, ByteOrder order) {
        if (order == ByteOrder.BIG_ENDIAN) {
            return u32(v >>> 32, order).u32(v, order);
        }
        return u32(v, order).u32(v >>> 32, order);
    }

    ByteSink bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    /** Zero bytes up to the next multiple of 4 of this sink's size. */
    ByteSink pad4() {
        while ((size & 3) != 0) {
            u8(0);
        }
        return this;
    }

    /** Overwrites 4 bytes at {@code at}. */
    void putU32(int at, long v, ByteOrder order) {
        for (int k = 0; k < 4; k++) {
            int shift = order == ByteOrder.BIG_ENDIAN ? 24 - 8 * k : 8 * k;
            buf[at + k] = (byte) (v >>> shift);
        }
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
