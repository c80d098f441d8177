package dev.azinfer.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage journal on real files: what is appended reads back whole, in order, and nothing twice. */
class UsageJournalTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @TempDir
    Path dir;

    private final List<UsageRecord> unjournaled = new CopyOnWriteArrayList<>();

    private UsageJournal journal(long segmentBytes) {
        return new UsageJournal(dir, JSON, segmentBytes, unjournaled::addAll, Runnable::run);
    }

    private static UsageRecord record(int i) {
        return new UsageRecord(
                "req-" + i,
                Instant.parse("2026-11-22T10:00:00Z").plusMillis(i),
                "key\"with\nodd\tcharacters",
                "dep",
                "model",
                "1",
                i,
                2L * i,
                new BigDecimal("0.0000120000").multiply(BigDecimal.valueOf(i)),
                200,
                UsageRecord.COMPLETED);
    }

    private static void appendAll(UsageJournal journal, int from, int to) {
        List<CompletableFuture<Void>> written = new ArrayList<>();
        for (int i = from; i < to; i++) {
            written.add(journal.append(record(i)));
        }
        written.forEach(CompletableFuture::join);
    }

    private static List<UsageRecord> readAll(UsageJournal journal, List<UsageJournal.Segment> segments)
            throws Exception {
        List<UsageRecord> all = new ArrayList<>();
        for (UsageJournal.Segment s : segments) {
            long at = 0;
            UsageJournal.Chunk chunk;
            while (!(chunk = journal.read(s, at)).records().isEmpty()) {
                all.addAll(chunk.records());
                at = chunk.end();
            }
            assertEquals(s.readable(), at, "every byte of " + s.name() + " is a whole record");
        }
        return all;
    }

    @Test
    void appended_records_read_back_equal_and_in_order_across_segments() throws Exception {
        UsageJournal journal = journal(2_000);
        appendAll(journal, 0, 100);
        List<UsageJournal.Segment> segments = journal.own();
        assertTrue(segments.size() > 1, "small segments rotate: " + segments.size());
        assertTrue(segments.subList(0, segments.size() - 1).stream().allMatch(UsageJournal.Segment::closed));
        assertFalse(segments.get(segments.size() - 1).closed(), "the last segment is still written");
        List<UsageRecord> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(record(i));
        }
        assertEquals(expected, readAll(journal, segments));
        assertTrue(unjournaled.isEmpty());
        journal.stopWriting();
        journal.close();
    }

    @Test
    void records_not_moved_yet_come_from_memory_and_after_a_failed_move_from_the_file() throws Exception {
        UsageJournal journal = journal(1 << 20);
        appendAll(journal, 0, 10);
        UsageJournal.Segment s = journal.own().get(0);
        byte[] original = Files.readAllBytes(s.file());
        byte[] unreadable = original.clone();
        java.util.Arrays.fill(unreadable, (byte) '#');
        Files.write(s.file(), unreadable);
        UsageJournal.Chunk chunk = journal.read(s, 0);
        assertEquals(records(0, 10), chunk.records(), "from memory: the file is not read");
        assertEquals(original.length, chunk.end());

        // the database refused them: the ledger asks again from where it stands, and gets the file's
        Files.write(s.file(), original);
        assertEquals(records(0, 10), journal.read(s, 0).records());
        appendAll(journal, 10, 15);
        s = journal.own().get(0);
        assertEquals(records(10, 15), journal.read(s, original.length).records());
        journal.stopWriting();
        journal.close();
    }

    @Test
    void a_backlog_beyond_what_memory_keeps_reads_back_whole_from_memory_then_the_file() throws Exception {
        UsageJournal journal = journal(1 << 20);
        int count = UsageJournal.UNMOVED_LIMIT + 500;
        appendAll(journal, 0, count);
        // the first records from memory, the rest (not kept) from the files, none twice or missing
        assertEquals(records(0, count), readAll(journal, journal.own()));
        journal.stopWriting();
        journal.close();
    }

    private static List<UsageRecord> records(int from, int to) {
        List<UsageRecord> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(record(i));
        }
        return records;
    }

    @Test
    void a_segment_opened_after_the_position_was_read_is_not_taken_for_a_closed_one() throws Exception {
        UsageJournal journal = journal(1 << 20);
        appendAll(journal, 0, 3);
        // what a rotation leaves for an instant: the next segment's file exists, the position still
        // names the one before; taken for a closed segment it would be retired, deleted under the writer
        String current = journal.own().get(0).name();
        int dash = current.lastIndexOf('-');
        String next = current.substring(0, dash + 1) + "999999" + current.substring(current.indexOf('.', dash));
        Files.createFile(dir.resolve(next));
        List<UsageJournal.Segment> own = journal.own();
        assertEquals(1, own.size(), own.toString());
        assertEquals(current, own.get(0).name());
        assertFalse(own.get(0).closed());
        journal.stopWriting();
        assertTrue(journal.own().stream().allMatch(UsageJournal.Segment::closed), "stopped, every segment is closed");
        assertEquals(2, journal.own().size());
        journal.close();
    }

    @Test
    void a_record_the_journal_cannot_take_goes_to_the_database_instead() throws Exception {
        UsageJournal journal = journal(1 << 20);
        journal.stopWriting();
        journal.append(record(7)).join();
        assertEquals(List.of(record(7)), unjournaled);
        journal.close();
    }

    @Test
    void a_line_cut_short_by_a_kill_is_not_read_as_a_record() throws Exception {
        String owner = "00000000-dead-dead-dead-000000000000";
        Files.writeString(dir.resolve(owner + ".lock"), "");
        Path segment = dir.resolve(owner + "-000001.jsonl");
        String whole = JSON.writeValueAsString(record(1)) + "\n" + JSON.writeValueAsString(record(2)) + "\n";
        Files.writeString(segment, whole + "{\"requestId\":\"req-3\",\"at\":\"2026-", StandardCharsets.UTF_8);

        UsageJournal journal = journal(1 << 20);
        List<UsageJournal.Orphan> orphans = journal.orphans();
        assertEquals(1, orphans.size(), "the stopped process's segments are found");
        UsageJournal.Segment s = orphans.get(0).segments().get(0);
        UsageJournal.Chunk chunk = journal.read(s, 0);
        assertEquals(List.of(record(1), record(2)), chunk.records());
        assertEquals(whole.getBytes(StandardCharsets.UTF_8).length, chunk.end());
        assertTrue(journal.read(s, chunk.end()).records().isEmpty());

        Files.delete(segment);
        orphans.get(0).close();
        assertFalse(Files.exists(dir.resolve(owner + ".lock")), "the lock of a wholly moved process goes");
        journal.stopWriting();
        journal.close();
    }

    @Test
    void a_line_that_is_not_a_record_is_passed_over_and_holds_back_nothing_after_it() throws Exception {
        String owner = "00000000-dead-dead-dead-000000000001";
        Files.writeString(dir.resolve(owner + ".lock"), "");
        Path segment = dir.resolve(owner + "-000001.jsonl");
        // a write cut short (disk full) that the next line ran into, as a journal without truncation left it
        String content = JSON.writeValueAsString(record(1)) + "\n"
                + "{\"requestId\":\"req-2\",\"at\":\"2026-" + JSON.writeValueAsString(record(3)) + "\n"
                + JSON.writeValueAsString(record(4)) + "\n";
        Files.writeString(segment, content, StandardCharsets.UTF_8);

        UsageJournal journal = journal(1 << 20);
        List<UsageJournal.Orphan> orphans = journal.orphans();
        UsageJournal.Chunk chunk = journal.read(orphans.get(0).segments().get(0), 0);
        assertEquals(List.of(record(1), record(4)), chunk.records());
        assertEquals(
                content.getBytes(StandardCharsets.UTF_8).length, chunk.end(), "read to the end, past the bad line");
        orphans.get(0).close();
        journal.stopWriting();
        journal.close();
    }

    @Test
    void a_running_process_keeps_its_segments_and_a_closed_one_hands_them_over() throws Exception {
        UsageJournal running = journal(1 << 20);
        appendAll(running, 0, 3);
        UsageJournal other = journal(1 << 20);
        assertTrue(other.orphans().isEmpty(), "segments of a process holding its lock are not taken");

        running.stopWriting();
        running.close();
        List<UsageJournal.Orphan> orphans = other.orphans();
        assertEquals(1, orphans.size(), "once it stopped, its segments are found");
        assertEquals(
                List.of(record(0), record(1), record(2)),
                readAll(other, orphans.get(0).segments()));
        assertTrue(other.orphans().isEmpty(), "taken once: a second look finds them locked");
        orphans.get(0).close();
        other.stopWriting();
        other.close();
    }
}
