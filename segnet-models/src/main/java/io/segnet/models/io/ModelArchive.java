package io.segnet.models.io;

import io.segnet.common.io.AtomicFiles;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The one writer of saved models and checkpoints: a zip holding a DL4J {@link ComputationGraph} in
 * {@link ModelSerializer}'s layout, plus named text entries (a model's config and card, a checkpoint's trainer
 * state), written once, in one pass, atomically ({@link AtomicFiles}: temporary file, fsync, rename).
 *
 * <p>Entries: {@value #GRAPH_CONFIGURATION} (the graph configuration JSON, with the optimiser's iteration count),
 * {@value #PARAMETERS} (all parameters as one flat array in {@link Nd4j#write} format), {@value #OPTIMIZER_STATE}
 * (the optimiser's state, same format; only when there is one), then the extra entries in the order given. The
 * float arrays are converted in blocks rather than value by value as ND4J does (the bytes are the same). The
 * binary entries are stored without compression: float weights hardly compress (a few percent), and deflating
 * hundreds of megabytes costs far more time than it saves space. {@link ModelSerializer#restoreComputationGraph}
 * reads these files, and {@link #readGraph} reads files that {@code ModelSerializer} wrote.
 */
public final class ModelArchive {
    /** DL4J's entry for the graph configuration JSON. */
    public static final String GRAPH_CONFIGURATION = "configuration.json";
    /** DL4J's entry for the flat parameter array. */
    public static final String PARAMETERS = "coefficients.bin";
    /** DL4J's entry for the optimiser (updater) state array. */
    public static final String OPTIMIZER_STATE = "updaterState.bin";

    private static final Set<String> GRAPH_ENTRIES = Set.of(GRAPH_CONFIGURATION, PARAMETERS, OPTIMIZER_STATE,
            "normalizer.bin", "noParams.marker", "preprocessor.bin");

    private ModelArchive() {
    }

    /**
     * Writes {@code graph} (parameters and optimiser state) and {@code entries} (name to UTF-8 text) to {@code file}.
     *
     * @param overwrite    replace an existing file; if false and {@code file} exists, nothing is written
     * @param beforeRename run on the complete temporary file before it is put in place (tests simulate a crash there)
     * @throws FileAlreadyExistsException if the file exists and {@code overwrite} is false
     * @throws IllegalArgumentException   if an entry name is one of the graph's
     */
    public static void write(Path file, boolean overwrite, ComputationGraph graph, Map<String, String> entries,
                             AtomicFiles.BeforeRename beforeRename) throws IOException {
        write(file, overwrite, graph, true, entries, beforeRename);
    }

    /**
     * Writes {@code graph}'s parameters, its optimiser state if {@code withOptimizerState} (checkpoints that resume
     * need it; a model exported for inference does not, and is then about a third of the size with Adam), and
     * {@code entries} (name to UTF-8 text) to {@code file}.
     *
     * @param overwrite    replace an existing file; if false and {@code file} exists, nothing is written
     * @param beforeRename run on the complete temporary file before it is put in place (tests simulate a crash there)
     * @throws FileAlreadyExistsException if the file exists and {@code overwrite} is false
     * @throws IllegalArgumentException   if an entry name is one of the graph's
     */
    public static void write(Path file, boolean overwrite, ComputationGraph graph, boolean withOptimizerState,
                             Map<String, String> entries, AtomicFiles.BeforeRename beforeRename) throws IOException {
        Objects.requireNonNull(graph, "graph");
        Map<String, byte[]> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (GRAPH_ENTRIES.contains(e.getKey())) {
                throw new IllegalArgumentException("entry name '" + e.getKey() + "' is reserved for the DL4J graph;"
                        + " choose another name");
            }
            extra.put(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        String configuration = graph.getConfiguration().toJson();
        INDArray params = graph.params();
        INDArray optimizerState = !withOptimizerState || graph.getUpdater() == null ? null
                : graph.getUpdater().getStateViewArray();
        AtomicFiles.write(file, overwrite, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            text(zip, GRAPH_CONFIGURATION, configuration.getBytes(StandardCharsets.UTF_8));
            array(zip, PARAMETERS, params);
            if (optimizerState != null && optimizerState.length() > 0) {
                array(zip, OPTIMIZER_STATE, optimizerState);
            }
            for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                text(zip, e.getKey(), e.getValue());
            }
            zip.finish();
        }, beforeRename);
    }

    private static void text(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.setLevel(Deflater.DEFAULT_COMPRESSION);
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static void array(ZipOutputStream zip, String name, INDArray array) throws IOException {
        zip.setLevel(Deflater.NO_COMPRESSION);
        zip.putNextEntry(new ZipEntry(name));
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(zip, 1 << 16));
        writeArray(array, data);
        data.flush(); // not closed: that would close the zip
        zip.closeEntry();
    }

    /**
     * Writes exactly the bytes of {@link Nd4j#write(INDArray, DataOutputStream)}: the shape information, then the data
     * buffer as allocation mode, length, data type and the values big-endian. ND4J writes a float buffer one value at
     * a time; this converts it in blocks of 256 Ki values (the same bytes, a fraction of the time). Other data types
     * (and buffers beyond 2^31 values) go through ND4J.
     */
    static void writeArray(INDArray array, DataOutputStream out) throws IOException {
        INDArray a = array.isView() ? array.dup() : array;
        DataBuffer data = a.data();
        if (data.dataType() != DataType.FLOAT || data.length() > Integer.MAX_VALUE) {
            Nd4j.write(a, out);
            return;
        }
        a.shapeInfoDataBuffer().write(out);
        out.writeUTF(data.allocationMode().name());
        out.writeLong(data.length());
        out.writeUTF(data.dataType().name());
        FloatBuffer values = data.asNioFloat();
        ByteBuffer block = ByteBuffer.allocate(1 << 20).order(ByteOrder.BIG_ENDIAN);
        FloatBuffer blockFloats = block.asFloatBuffer();
        for (long done = 0, total = data.length(); done < total; ) {
            int n = (int) Math.min(total - done, blockFloats.capacity());
            blockFloats.clear();
            blockFloats.put(values.slice((int) done, n));
            out.write(block.array(), 0, n * Float.BYTES);
            done += n;
        }
    }

    /**
     * Reads the graph of an archive, with its parameters and optimiser state.
     *
     * @throws NoSuchFileException if there is no file
     */
    public static ComputationGraph readGraph(Path file) throws IOException {
        return readGraph(file, true);
    }

    /**
     * Reads the DL4J graph of an archive, with its optimiser state if {@code withOptimizerState} (training goes on
     * from it) or without (inference: the state of Adam would take twice the parameters' memory for nothing).
     */
    public static ComputationGraph readGraph(Path file, boolean withOptimizerState) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return ModelSerializer.restoreComputationGraph(file.toFile(), withOptimizerState);
    }

    /**
     * True if the archive has an entry {@code name} (e.g. {@link #OPTIMIZER_STATE}).
     *
     * @throws CorruptModelFileException naming the file if it is not a readable zip
     */
    public static boolean hasEntry(Path file, String name) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(name) != null;
        } catch (ZipException | EOFException e) {
            throw CorruptModelFileException.of(file, "not a readable zip: " + e.getMessage(), e);
        }
    }

    /**
     * The text of entry {@code name}, or empty if the archive has no such entry.
     *
     * @throws CorruptModelFileException naming the file if it is not a readable zip
     */
    public static Optional<String> readEntry(Path file, String name) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry(name);
            if (e == null) {
                return Optional.empty();
            }
            try (InputStream in = zip.getInputStream(e)) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (ZipException | EOFException e) {
            throw CorruptModelFileException.of(file, "not a readable zip: " + e.getMessage(), e);
        }
    }

    /**
     * Checks every entry of an archive against the checksum (CRC-32) the zip records for it, reading the file once: a
     * file damaged after it was written is refused instead of loading wrong weights.
     *
     * @throws CorruptModelFileException naming the file and the first damaged entry
     */
    public static void verify(Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (ZipFile zip = new ZipFile(file.toFile())) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                CRC32 crc = new CRC32();
                try (InputStream in = zip.getInputStream(e)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        crc.update(buffer, 0, n);
                    }
                }
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    throw CorruptModelFileException.of(file, "entry '" + e.getName() + "' does not match its"
                            + " checksum", null);
                }
            }
        } catch (ZipException | EOFException e) {
            throw CorruptModelFileException.of(file, "not a readable zip: " + e.getMessage(), e);
        }
    }
}
