package org.fathom.inline;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls the queue needs (a netlink socket: {@code socket}, {@code bind},
 * {@code setsockopt}, {@code send}, {@code recv}, {@code poll}, {@code close}), bound once through
 * the FFM API. Calls that can fail capture {@code errno} into a segment the caller owns, so reading
 * it allocates nothing. Nothing here throws at class load: when the linker is unusable (native
 * access not enabled) {@link #missing} says why.
 */
final class Libc {
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_NETFILTER = 12;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVBUFFORCE = 33;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_NO_ENOBUFS = 5;
    static final int MSG_DONTWAIT = 0x40;
    static final short POLLIN = 1;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EBUSY = 16;
    static final int EINVAL = 22;
    static final int ENOBUFS = 105;
    static final int EOPNOTSUPP = 95;
    static final int EPROTONOSUPPORT = 93;

    /** Why the calls cannot be used, or null when they can. */
    static final String missing;

    /** The layout of the captured call state ({@code errno}), and its accessor. */
    static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** With a leading call-state segment: socket, bind, setsockopt, send, recv, poll. */
    static final MethodHandle socket, bind, setsockopt, send, recv, poll;
    static final MethodHandle close, strerror;

    static {
        String why = null;
        MethodHandle[] h = new MethodHandle[8];
        try {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            h[0] = linker.downcallHandle(libc.findOrThrow("socket"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
            h[1] = linker.downcallHandle(libc.findOrThrow("bind"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
            h[2] = linker.downcallHandle(libc.findOrThrow("setsockopt"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
            h[3] = linker.downcallHandle(libc.findOrThrow("send"), FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), errno);
            h[4] = linker.downcallHandle(libc.findOrThrow("recv"), FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), errno);
            h[5] = linker.downcallHandle(libc.findOrThrow("poll"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), errno);
            h[6] = linker.downcallHandle(libc.findOrThrow("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            h[7] = linker.downcallHandle(libc.findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        } catch (IllegalCallerException e) {
            why = "native access is not enabled (run java with --enable-native-access=ALL-UNNAMED)";
            h = new MethodHandle[8];
        } catch (RuntimeException e) {
            why = "the C library's socket calls cannot be bound (" + e.getMessage() + ")";
            h = new MethodHandle[8];
        }
        missing = why;
        socket = h[0];
        bind = h[1];
        setsockopt = h[2];
        send = h[3];
        recv = h[4];
        poll = h[5];
        close = h[6];
        strerror = h[7];
    }

    private Libc() {}

    /** A fresh call-state segment for one thread's calls. */
    static MemorySegment state(Arena arena) {
        return arena.allocate(STATE);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** The C library's text for {@code errno}, e.g. "Operation not permitted". */
    static String strerror(int errno) {
        try {
            MemorySegment p = (MemorySegment) strerror.invokeExact(errno);
            return p.address() == 0 ? "error " + errno : p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }
}
