package dev.azinfer.metering;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The usage ledger's journal: each record is appended, as a JSON line, to a file in the data
 * folder before its request's answer completes, and moved into the database in the background
 * ({@link UsageLedger}). An append is one write of a few hundred bytes to the operating system's
 * page cache, made on the request's own thread: it takes microseconds and never waits for the
 * disk, where handing it to a writer thread and back cost two thread switches per request. The
 * record then survives the process being killed; the file is flushed to disk once a second (by
 * the ledger's thread), and the database commit makes it final. A database commit per request
 * cost most of the service's throughput.
 *
 * <p>The records this process appended and the ledger has not moved yet are also kept in memory,
 * in order with where each lies in its segment, so the ledger moves them without reading and
 * parsing the file again (that was 5% of the service's CPU under load). The file stays the truth:
 * whenever the memory does not hold exactly the records from where the ledger stands (a move that
 * failed, another process's segments, more than {@link #UNMOVED_LIMIT} waiting while the database
 * is down), the file is read.
 *
 * <p>Each process appends to its own segments ({@code <instance>-<n>.jsonl}) and holds a lock
 * on {@code <instance>.lock} while it runs; segments whose owner's lock is free were left by a
 * process that stopped without moving them, and are moved by whoever finds them.
 */
final class UsageJournal implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(UsageJournal.class);
    private static final String SUFFIX = ".jsonl";
    private static final int READ_BYTES = 4 << 20;

    /** At most this many records wait in memory; beyond, the ledger reads them from the file. */
    static final int UNMOVED_LIMIT = 20_000;

    /** A record this process appended and the ledger has not taken yet, and where it lies. */
    private record Unmoved(String segment, long start, long end, UsageRecord record) {}

    /** A segment file and how far it can be read: to its end, unless it is the one being written. */
    record Segment(Path file, String name, long readable, boolean closed) {}

    /** Records read from a segment, and the offset after the last one. */
    record Chunk(List<UsageRecord> records, long end) {}

    private static final CompletableFuture<Void> WRITTEN = CompletableFuture.completedFuture(null);

    private final Path dir;
    private final ObjectMapper json;
    private final long segmentBytes;
    private final Consumer<List<UsageRecord>> unjournaled;
    private final Executor background;
    private final String instance = UUID.randomUUID().toString();
    private final FileChannel lockFile;
    private final FileLock lock;
    /** Segments full and no longer written, to be flushed and closed off the request's thread. */
    private final List<FileChannel> retired = new ArrayList<>();
    /** In append order, which is file order. */
    private final java.util.ArrayDeque<Unmoved> unmoved = new java.util.ArrayDeque<>();

    private boolean open = true;
    private FileChannel channel;
    private int sequence;
    /** The segment being written and how much of it is written: what readers may read of it. */
    private record Position(String segment, long written) {}

    private volatile Position position;

    /**
     * @param unjournaled where records go when the journal cannot be written (a full disk, say):
     *     straight to the database, so they are not lost
     * @param background the thread that does that, so a request's thread never waits on the database
     */
    UsageJournal(
            Path dir,
            ObjectMapper json,
            long segmentBytes,
            Consumer<List<UsageRecord>> unjournaled,
            Executor background) {
        this.dir = dir;
        this.json = json;
        this.segmentBytes = segmentBytes;
        this.unjournaled = unjournaled;
        this.background = background;
        try {
            Files.createDirectories(dir);
            lockFile = FileChannel.open(
                    dir.resolve(instance + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockFile.lock();
            openSegment();
        } catch (IOException e) {
            throw new UncheckedIOException("The usage journal cannot be opened in " + dir, e);
        }
    }

    /**
     * Appends the record; the answer is complete at once, unless the journal could not be written:
     * then it completes once the database has the record.
     */
    CompletableFuture<Void> append(UsageRecord record) {
        try {
            byte[] json = this.json.writeValueAsBytes(record);
            byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            write(line, record);
            return WRITTEN;
        } catch (IOException | RuntimeException e) {
            LOG.errorf(
                    "Usage journal: a record could not be written (%s); writing it to the database instead",
                    e.getMessage());
            return CompletableFuture.runAsync(() -> unjournaled.accept(List.of(record)), background);
        }
    }

    private synchronized void write(byte[] line, UsageRecord record) throws IOException {
        if (!open) {
            throw new IOException("the journal is closed");
        }
        ByteBuffer bytes = ByteBuffer.wrap(line);
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            // a line cut short (disk full) must not run into the next one: the file ends at the last whole line
            try {
                channel.truncate(position.written());
                channel.position(position.written());
            } catch (IOException ignored) {
                // the reader skips what it cannot read
            }
            throw e;
        }
        long written = channel.position();
        if (unmoved.size() < UNMOVED_LIMIT) {
            unmoved.add(new Unmoved(position.segment(), position.written(), written, record));
        }
        position = new Position(position.segment(), written);
        if (written >= segmentBytes) {
            // the record is written: a new segment that cannot be opened must not fail it (it would
            // then also go to the database, twice); this one grows until the next write tries again
            FileChannel full = channel;
            try {
                openSegment();
                retired.add(full);
            } catch (IOException e) {
                LOG.warnf("Usage journal: a new segment cannot be opened (%s); the current one grows", e.getMessage());
            }
        }
    }

    private void openSegment() throws IOException {
        String name = String.format("%s-%06d%s", instance, ++sequence, SUFFIX);
        channel = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        position = new Position(name, 0);
    }

    /** Flushes what was written to disk; a power cut loses at most what came since the last flush. */
    void sync() {
        List<FileChannel> full;
        FileChannel c;
        synchronized (this) {
            full = new ArrayList<>(retired);
            retired.clear();
            c = channel;
        }
        try {
            for (FileChannel f : full) {
                f.force(false);
                f.close();
            }
            if (c.isOpen()) {
                c.force(false);
            }
        } catch (IOException e) {
            LOG.warnf("Usage journal: flush failed (%s)", e.getMessage());
        }
    }

    /**
     * This process's segments, oldest first. The position is read after the files are listed: a
     * segment opened in between is left for the next call, so that a new, empty segment is never
     * taken for a closed one and retired (deleted) while records are appended to it.
     */
    List<Segment> own() throws IOException {
        List<Path> files = segmentFiles(instance);
        Position at = position;
        // once the journal is closed (an empty segment name) every segment is closed
        boolean appending = !at.segment().isEmpty();
        List<Segment> segments = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            // names sort in the order segments were opened (zero-padded sequence numbers)
            int order = appending ? name.compareTo(at.segment()) : -1;
            if (order > 0) {
                break;
            }
            boolean isCurrent = order == 0;
            segments.add(new Segment(file, name, isCurrent ? at.written() : Files.size(file), !isCurrent));
        }
        return segments;
    }

    /**
     * Segments of processes that are gone, locked for the caller: it moves them, then calls {@link
     * Orphan#close}. Segments of processes still running are left to them.
     */
    List<Orphan> orphans() throws IOException {
        List<Orphan> orphans = new ArrayList<>();
        try (Stream<Path> locks = Files.list(dir)) {
            for (Path lockPath :
                    locks.filter(p -> p.toString().endsWith(".lock")).toList()) {
                String owner = lockPath.getFileName().toString().replace(".lock", "");
                if (owner.equals(instance)) {
                    continue;
                }
                takeOver(lockPath, owner).ifPresent(orphans::add);
            }
        }
        return orphans;
    }

    private Optional<Orphan> takeOver(Path lockPath, String owner) throws IOException {
        FileChannel c = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = c.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            c.close();
            return Optional.empty();
        }
        List<Segment> segments = new ArrayList<>();
        for (Path file : segmentFiles(owner)) {
            segments.add(new Segment(file, file.getFileName().toString(), Files.size(file), true));
        }
        return Optional.of(new Orphan(segments, lockPath, c));
    }

    /** A stopped process's segments, and its lock, held until they are moved. */
    record Orphan(List<Segment> segments, Path lockPath, FileChannel lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (segments.stream().noneMatch(s -> Files.exists(s.file()))) {
                Files.deleteIfExists(lockPath);
            }
            lock.close();
        }
    }

    private List<Path> segmentFiles(String owner) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith(owner + "-") && n.endsWith(SUFFIX);
                    })
                    .sorted()
                    .toList();
        }
    }

    /**
     * The whole records in {@code [from, to)} of a segment, up to a few megabytes: a line cut short
     * (the process was killed while writing it) is not a record, and its request was never answered.
     */
    Chunk read(Segment segment, long from) throws IOException {
        long to = Math.min(segment.readable(), from + READ_BYTES);
        if (to <= from) {
            return new Chunk(List.of(), from);
        }
        Chunk kept = fromMemory(segment.name(), from, to);
        if (kept != null) {
            return kept;
        }
        Chunk chunk = fromFile(segment, from, to);
        forget(segment.name(), chunk.end());
        return chunk;
    }

    private Chunk fromFile(Segment segment, long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) (to - from));
        try (FileChannel c = FileChannel.open(segment.file(), StandardOpenOption.READ)) {
            c.position(from);
            int n = 0;
            while (buffer.hasRemaining() && n >= 0) {
                n = c.read(buffer);
            }
        }
        byte[] bytes = buffer.array();
        int length = buffer.position();
        List<UsageRecord> records = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                try {
                    records.add(json.readValue(bytes, start, i - start, UsageRecord.class));
                } catch (IOException e) {
                    // a line no record can be read from (a write cut short, whose record went to the
                    // database instead) is passed over: left in place, it would stop every later move
                    LOG.warnf(
                            "Usage journal: skipped %d bytes at %d of %s that are not a record (%s)",
                            i - start, from + start, segment.name(), e.getMessage());
                }
                start = i + 1;
            }
        }
        return new Chunk(records, from + start);
    }

    /**
     * The records in memory from {@code from} on, up to {@code to}, taken out of memory; null unless
     * memory holds the very record at {@code from}. Taken records that then fail to reach the database
     * are read from the file on the next try, since memory no longer starts where the ledger stands.
     */
    private synchronized Chunk fromMemory(String segment, long from, long to) {
        Unmoved head = unmoved.peek();
        List<UsageRecord> records = new ArrayList<>();
        long end = from;
        while (head != null && head.segment().equals(segment) && head.start() == end && head.end() <= to) {
            records.add(head.record());
            end = head.end();
            unmoved.poll();
            head = unmoved.peek();
        }
        return records.isEmpty() ? null : new Chunk(records, end);
    }

    /** Drops from memory what the ledger read from the file instead: all before {@code end} of the segment. */
    private synchronized void forget(String segment, long end) {
        if (!segment.startsWith(instance + "-")) {
            return; // another process's segment: memory holds none of it
        }
        Unmoved head;
        while ((head = unmoved.peek()) != null
                && (head.segment().compareTo(segment) < 0 || (head.segment().equals(segment) && head.end() <= end))) {
            unmoved.poll();
        }
    }

    /** Stops appending (later records go to the database); the segments stay, locked, for the ledger to move. */
    void stopWriting() {
        synchronized (this) {
            open = false;
            // every segment is whole now: the ledger may move and delete them all
            position = new Position("", 0);
        }
        sync();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warnf("Usage journal: close failed (%s)", e.getMessage());
        }
    }

    /**
     * Releases the lock, after the ledger moved what it could: segments left behind are then
     * another process's to move. The lock file goes once no segment is left.
     */
    @Override
    public void close() throws IOException {
        boolean empty = segmentFiles(instance).isEmpty();
        lock.release();
        lockFile.close();
        if (empty) {
            Files.deleteIfExists(dir.resolve(instance + ".lock"));
        }
    }
}
