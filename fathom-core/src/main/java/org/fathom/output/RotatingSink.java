package org.fathom.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Set;
import org.fathom.record.AggregateRecord;
import org.fathom.record.AlertRecord;
import org.fathom.record.CallRecord;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.PrivacyHeader;
import org.fathom.record.RecordKind;
import org.fathom.record.Released;
import org.fathom.record.VerdictRecord;

/**
 * JSON lines in a series of files that a collector can take as they are finished
 * ({@code --rotate}, {@code --rotate-size}): {@code DIR/STEM-20261206T080000Z.jsonl}, named after
 * the start of the file's period (with a period) or the time the file was begun (size only), with
 * {@code -2}, {@code -3}, ... added when that name is taken. A file is written as
 * {@code NAME.jsonl.part} and renamed to {@code NAME.jsonl} in one step (same folder, atomic) once
 * it is complete, so a reader that takes only {@code *.jsonl} never sees half a file. Every file
 * starts with the privacy header. A file is begun with the first record of its period, so a period
 * without records leaves no file.
 *
 * <p>Calls come from the output's thread ({@link AsyncSink}) and from the rotation's timer; both
 * hold this sink's lock.
 */
public final class RotatingSink implements FlowSink {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** The suffix of a file being written. */
    public static final String PART = ".part";

    private final Path dir;
    private final String stem;
    private final Set<RecordKind> kinds;
    private final Rotation rotation;
    private Released<? extends ExportRecord> header;
    private JsonLinesFlowSink current;
    private CountingStream counted;
    private Path part;
    private Path done;
    /** When the current file's period ends (epoch ms), or Long.MAX_VALUE without a period. */
    private long endsAt;
    private IOException failure;
    private long finished;

    /**
     * @param dir   the folder of the files
     * @param stem  the start of every file name
     * @param kinds the record kinds written (the privacy header always)
     */
    public RotatingSink(Path dir, String stem, Set<RecordKind> kinds, Rotation rotation) {
        this.dir = dir;
        this.stem = stem;
        this.kinds = EnumSet.copyOf(kinds);
        this.rotation = rotation;
        rotation.register(this);
    }

    /**
     * The stem and folder for an output the user named {@code file}: {@code calls.jsonl} becomes
     * files {@code calls-<time>.jsonl} beside it.
     */
    @Override
    public boolean takesEvents() {
        return kinds.contains(RecordKind.EVENT);
    }

    @Override
    public boolean takesFlows() {
        return kinds.contains(RecordKind.FLOW);
    }

    public static RotatingSink forFile(Path file, Set<RecordKind> kinds, Rotation rotation) {
        Path abs = file.toAbsolutePath();
        String name = abs.getFileName().toString();
        for (String ext : new String[] {".jsonl", ".json", ".ndjson"}) {
            if (name.endsWith(ext) && name.length() > ext.length()) {
                name = name.substring(0, name.length() - ext.length());
                break;
            }
        }
        return new RotatingSink(abs.getParent(), name, kinds, rotation);
    }

    @Override
    public synchronized void accept(Released<? extends ExportRecord> released) throws IOException {
        if (failure != null) {
            throw Rotation.carried(failure);
        }
        RecordKind kind = switch (released.record()) {
            case PrivacyHeader h -> null;
            case FlowRecord f -> RecordKind.FLOW;
            case AggregateRecord a -> RecordKind.AGGREGATE;
            case CallRecord c -> RecordKind.CALL;
            case AlertRecord a -> RecordKind.ALERT;
            case VerdictRecord v -> RecordKind.VERDICT;
            case org.fathom.record.EventRecord e -> RecordKind.EVENT;
        };
        if (kind == null) {
            header = released;
            return;
        }
        if (!kinds.contains(kind)) {
            return;
        }
        long now = rotation.now();
        if (current != null && now >= endsAt) {
            finish();
        }
        if (current == null) {
            begin(now);
        }
        current.accept(released);
        if (rotation.maxBytes() > 0 && counted.count + current.bufferedBytes() >= rotation.maxBytes()) {
            finish();
        }
    }

    /** Finishes the current file when its period is over (from the rotation's timer). */
    synchronized void tick() {
        if (current == null || failure != null || rotation.now() < endsAt) {
            return;
        }
        try {
            finish();
        } catch (IOException e) {
            failure = e;   // thrown at the next record or at close, on the output's thread
        }
    }

    /** Files finished (renamed to their final name) so far. */
    public synchronized long finishedFiles() {
        return finished;
    }

    private void begin(long now) throws IOException {
        long start = rotation.periodStart(now);
        endsAt = rotation.periodMillis() > 0 ? start + rotation.periodMillis() : Long.MAX_VALUE;
        String base = stem + "-" + STAMP.format(Instant.ofEpochMilli(start));
        Path target = dir.resolve(base + ".jsonl");
        for (int n = 2; Files.exists(target) || Files.exists(partOf(target)); n++) {
            target = dir.resolve(base + "-" + n + ".jsonl");
        }
        done = target;
        part = partOf(target);
        counted = new CountingStream(WholeLineFile.open(part));
        current = new JsonLinesFlowSink(counted, true, kinds);
        if (header != null) {
            current.accept(header);
        }
    }

    private static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + PART);
    }

    /** Closes the current file and gives it its final name. */
    private void finish() throws IOException {
        JsonLinesFlowSink c = current;
        current = null;
        c.close();
        try {
            Files.move(part, done, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, done);   // same folder: does not happen on a local file system
        }
        finished++;
    }

    @Override
    public synchronized void close() throws IOException {
        rotation.unregister(this);
        if (current != null) {
            finish();
        }
        if (failure != null) {
            throw Rotation.carried(failure);
        }
    }

    /** Counts the bytes handed on to the file (with the JSON writer's buffer: the file's size so far). */
    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
