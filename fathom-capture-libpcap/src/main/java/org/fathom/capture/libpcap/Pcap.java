package org.fathom.capture.libpcap;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libpcap functions Fathom calls, bound once through the FFM API ({@code java.lang.foreign})
 * to Debian's {@code libpcap.so.0.8}. No JNI and no third-party binding. When the library cannot be
 * loaded the handles stay null and {@link #missing} says why; nothing here throws at class load.
 */
final class Pcap {
    /** Debian's name for libpcap 1.x; {@code -Dfathom.libpcap=NAME_OR_PATH} names another. */
    static final String LIBRARY = System.getProperty("fathom.libpcap", "libpcap.so.0.8");

    static final int ERRBUF_SIZE = 256;
    static final int ERROR = -1;
    static final int ERROR_BREAK = -2;
    static final int ERROR_NO_SUCH_DEVICE = -5;
    static final int ERROR_PERM_DENIED = -8;
    static final int ERROR_IFACE_NOT_UP = -9;
    static final int ERROR_PROMISC_PERM_DENIED = -11;
    static final int TSTAMP_PRECISION_NANO = 1;
    static final int NETMASK_UNKNOWN = 0xffffffff;
    /** {@code struct pcap_pkthdr} on LP64: timeval (2 longs), caplen, len. */
    static final long HDR_SEC = 0, HDR_FRAC = 8, HDR_CAPLEN = 16, HDR_LEN = 20;
    /** {@code struct bpf_program}: u_int bf_len, padding, struct bpf_insn *bf_insns. */
    static final long BPF_PROGRAM_SIZE = 16;
    /** {@code struct pcap_stat}: ps_recv, ps_drop, ps_ifdrop (u_int each). */
    static final long STAT_SIZE = 12;
    static final short POLLIN = 1;

    /** Why the library could not be used, or null when it was loaded. */
    static final String missing;

    static final MethodHandle create, setSnaplen, setPromisc, setTimeout, setBufferSize, setTstampPrecision,
            activate, geterr, statustostr, datalink, compile, setfilter, freecode, setnonblock,
            selectableFd, nextEx, stats, close, poll;

    static {
        String why = null;
        MethodHandle[] h = new MethodHandle[19];
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup lib = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            SymbolLookup libc = linker.defaultLookup();
            int i = 0;
            h[i++] = bind(linker, lib, "pcap_create", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
            h[i++] = bind(linker, lib, "pcap_set_snaplen", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            h[i++] = bind(linker, lib, "pcap_set_promisc", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            h[i++] = bind(linker, lib, "pcap_set_timeout", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            h[i++] = bind(linker, lib, "pcap_set_buffer_size", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            h[i++] = bind(linker, lib, "pcap_set_tstamp_precision", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            h[i++] = bind(linker, lib, "pcap_activate", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            h[i++] = bind(linker, lib, "pcap_geterr", FunctionDescriptor.of(ADDRESS, ADDRESS));
            h[i++] = bind(linker, lib, "pcap_statustostr", FunctionDescriptor.of(ADDRESS, JAVA_INT));
            h[i++] = bind(linker, lib, "pcap_datalink", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            h[i++] = bind(linker, lib, "pcap_compile", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT));
            h[i++] = bind(linker, lib, "pcap_setfilter", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            h[i++] = bind(linker, lib, "pcap_freecode", FunctionDescriptor.ofVoid(ADDRESS));
            h[i++] = bind(linker, lib, "pcap_setnonblock", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
            h[i++] = bind(linker, lib, "pcap_get_selectable_fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            // non-blocking and short: no thread-state transition per packet
            h[i++] = linker.downcallHandle(lib.findOrThrow("pcap_next_ex"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), Linker.Option.critical(false));
            h[i++] = bind(linker, lib, "pcap_stats", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            h[i++] = bind(linker, lib, "pcap_close", FunctionDescriptor.ofVoid(ADDRESS));
            h[i++] = bind(linker, libc, "poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        } catch (IllegalArgumentException | java.util.NoSuchElementException | UnsupportedOperationException
                 | IllegalCallerException e) {
            why = e instanceof IllegalCallerException
                    ? "native access is not enabled (run java with --enable-native-access=ALL-UNNAMED)"
                    : "libpcap not found: " + LIBRARY + " cannot be loaded (" + e.getMessage()
                            + "); install it, e.g. apt-get install libpcap0.8";
            h = new MethodHandle[19];
        }
        missing = why;
        create = h[0];
        setSnaplen = h[1];
        setPromisc = h[2];
        setTimeout = h[3];
        setBufferSize = h[4];
        setTstampPrecision = h[5];
        activate = h[6];
        geterr = h[7];
        statustostr = h[8];
        datalink = h[9];
        compile = h[10];
        setfilter = h[11];
        freecode = h[12];
        setnonblock = h[13];
        selectableFd = h[14];
        nextEx = h[15];
        stats = h[16];
        close = h[17];
        poll = h[18];
    }

    private Pcap() {}

    private static MethodHandle bind(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor fd) {
        return linker.downcallHandle(lookup.findOrThrow(name), fd);
    }

    /** A NUL-terminated C string at {@code p}, or "" when null. */
    static String string(MemorySegment p) {
        if (p == null || p.address() == 0) {
            return "";
        }
        return p.reinterpret(4096).getString(0);
    }

    static String geterr(MemorySegment handle) {
        try {
            return string((MemorySegment) geterr.invokeExact(handle));
        } catch (Throwable t) {
            return "unknown error";
        }
    }

    static String statusText(int status) {
        try {
            return string((MemorySegment) statustostr.invokeExact(status));
        } catch (Throwable t) {
            return "error " + status;
        }
    }
}
