package io.segnet.train.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.common.io.AtomicFiles;
import io.segnet.common.json.JsonMappers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A training run's metrics as JSON lines ({@code metrics.jsonl}): one {@link LogRecord} per line, each line flushed
 * as it is written (epoch records also to the disk), so the file can be followed with {@code tail -f} and read by
 * any JSON-lines tool. Keeps every record in memory as well, for the training curve. Single writer.
 *
 * <p>On resume, {@link #resume} drops the records written after the checkpoint being resumed from (they describe
 * iterations that will be run again), so the log of a resumed run reads like that of an uninterrupted one.
 */
public final class MetricsLog implements AutoCloseable {

    /**
     * The fields that measure wall-clock time ({@link EpochRecord#trainSeconds()},
     * {@link EpochRecord#validationSeconds()}, the images per second of both record types): they differ between two
     * runs of the same training. Every other field of an interrupted and resumed run's log equals the uninterrupted
     * run's, line for line.
     */
    public static final Set<String> WALL_CLOCK_FIELDS = Set.of("trainSeconds", "validationSeconds",
            "imagesPerSecond");

    /** Reads records written by any version: unknown fields are skipped. */
    private static final ObjectReader READER = JsonMappers.tolerantReader(LogRecord.class);
    /** One record per line. */
    private static final ObjectWriter WRITER = JsonMappers.jsonLinesWriter();

    private final Path file;
    private final FileChannel channel;
    private final List<LogRecord> records;

    private MetricsLog(Path file, List<LogRecord> records) throws IOException {
        this.file = file;
        this.records = new ArrayList<>(records);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    /**
     * Starts a new log.
     *
     * @throws FileAlreadyExistsException if {@code file} exists
     */
    public static MetricsLog create(Path file) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "a metrics log exists already");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.createFile(file);
        return new MetricsLog(file, List.of());
    }

    /**
     * Continues a log at {@code iteration}: records of later iterations are removed (the file is rewritten
     * atomically), then new records are appended. A missing file starts a new log.
     */
    public static MetricsLog resume(Path file, long iteration) throws IOException {
        if (!Files.exists(file)) {
            return create(file);
        }
        List<LogRecord> kept = new ArrayList<>();
        for (LogRecord r : read(file)) {
            if (r.iteration() <= iteration) {
                kept.add(r);
            }
        }
        StringBuilder text = new StringBuilder();
        for (LogRecord r : kept) {
            text.append(line(r));
        }
        AtomicFiles.writeString(file, true, text.toString());
        return new MetricsLog(file, kept);
    }

    /**
     * Reads every record of a log.
     *
     * @throws IOException naming the file and line if a line is not a log record (a last line cut off by a crash is
     *                     skipped)
     */
    public static List<LogRecord> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(READER.readValue(line));
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) {
                    break;
                }
                throw new IOException(file + ", line " + (i + 1) + ": not a metrics record ("
                        + e.getOriginalMessage() + ")", e);
            }
        }
        return out;
    }

    /**
     * The lines of a log file without the {@link #WALL_CLOCK_FIELDS}, each as compact JSON: what two runs of the same
     * training (one of them interrupted and resumed, or not) have in common, line for line.
     *
     * @throws IOException naming the file and line if a line is not JSON
     */
    public static List<String> withoutWallClock(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            try {
                JsonNode node = JsonMappers.JSON.readTree(lines.get(i));
                if (node instanceof ObjectNode o) {
                    o.remove(WALL_CLOCK_FIELDS);
                }
                out.add(JsonMappers.JSON.writer().without(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(node));
            } catch (JsonProcessingException e) {
                throw new IOException(file + ", line " + (i + 1) + ": not JSON (" + e.getOriginalMessage() + ")", e);
            }
        }
        return out;
    }

    /** Appends a record (flushed; epoch records also forced to the disk). */
    public void append(LogRecord record) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(line(record).getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (record instanceof EpochRecord) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the metrics log " + file + ": " + e.getMessage(), e);
        }
        records.add(record);
    }

    /** Every record so far, oldest first. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The epoch records so far. */
    public List<EpochRecord> epochs() {
        return records.stream().filter(r -> r instanceof EpochRecord).map(r -> (EpochRecord) r).toList();
    }

    /** The log file. */
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static String line(LogRecord r) {
        try {
            return WRITER.writeValueAsString(r) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + r + " as JSON", e);
        }
    }
}
