package io.segnet.models.io;

import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.unet.UNetConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One zip, written once: DL4J reads what ModelArchive writes, and segnet reads what DL4J's ModelSerializer wrote. */
class ModelArchiveTest {
    @TempDir
    Path dir;

    /** A small U-Net with non-trivial parameters and optimiser state. */
    private static SegmentationModel model() {
        SegmentationModel m = SegmentationModels.create(UNetConfig.classic(1, 3, 16, 16, 4, 2));
        Nd4j.getRandom().setSeed(7);
        INDArray state = m.graph().getUpdater().getStateViewArray();
        state.assign(Nd4j.rand(DataType.FLOAT, state.shape()));
        m.graph().params().addi(Nd4j.randn(DataType.FLOAT, m.graph().params().shape()));
        return m;
    }

    @Test
    void writesTheGraphAndTheEntriesInOneZipThatModelSerializerReads() throws IOException {
        SegmentationModel m = model();
        Path file = dir.resolve("m.zip");
        m.save(file, false, Map.of("extra.json", "{\"a\" : 1}"), t -> { });
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertEquals(List.of(ModelArchive.GRAPH_CONFIGURATION, ModelArchive.PARAMETERS,
                    ModelArchive.OPTIMIZER_STATE, SegmentationModel.CONFIG_ENTRY, SegmentationModel.CARD_ENTRY,
                    "extra.json"), zip.stream().map(ZipEntry::getName).toList());
            ZipEntry params = zip.getEntry(ModelArchive.PARAMETERS);
            assertTrue(params.getCompressedSize() >= params.getSize(), "weights are stored, not deflated");
        }
        assertEquals("{\"a\" : 1}", ModelArchive.readEntry(file, "extra.json").orElseThrow());
        assertTrue(ModelArchive.readEntry(file, "absent.json").isEmpty());
        ComputationGraph plain = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        assertEquals(m.graph().params(), plain.params(), "bit-identical parameters through DL4J's own reader");
        assertEquals(m.graph().getUpdater().getStateViewArray(), plain.getUpdater().getStateViewArray());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary files are left behind");
        }
    }

    @Test
    void arraysAreWrittenInExactlyNd4jsFormat() throws IOException {
        SegmentationModel m = model();
        INDArray params = m.graph().params();
        List<INDArray> arrays = List.of(params, m.graph().getUpdater().getStateViewArray(),
                params.get(NDArrayIndex.interval(3, 700)), Nd4j.rand(DataType.FLOAT, 600_000).reshape(600, 1000),
                Nd4j.rand(DataType.DOUBLE, 5, 7), Nd4j.createFromArray(1, 2, 3));
        for (INDArray a : arrays) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            Nd4j.write(a, new DataOutputStream(expected));
            ByteArrayOutputStream actual = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(actual);
            ModelArchive.writeArray(a, out);
            out.flush();
            assertArrayEquals(expected.toByteArray(), actual.toByteArray(), a.dataType() + " " + a.shapeInfoToString());
            INDArray back = Nd4j.read(new DataInputStream(new ByteArrayInputStream(actual.toByteArray())));
            assertEquals(a, back);
        }
    }

    @Test
    void modelsSavedByTheFormerModelSerializerPathStillLoad() throws IOException {
        SegmentationModel m = model();
        Path graphOnly = dir.resolve("graph.zip");
        ModelSerializer.writeModel(m.graph(), graphOnly.toFile(), true);
        Path file = dir.resolve("old.zip");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(graphOnly));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(SegmentationModel.CONFIG_ENTRY));
            out.write(m.config().toJson().getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry(SegmentationModel.CARD_ENTRY));
            out.write(io.segnet.common.json.JsonMappers.write(m.card()).getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        SegmentationModel loaded = SegmentationModel.load(file);
        assertEquals(m.graph().params(), loaded.graph().params());
        assertEquals(m.graph().getUpdater().getStateViewArray(), loaded.graph().getUpdater().getStateViewArray());
        assertEquals(m.config(), loaded.config());
    }

    @Test
    void entryNamesOfTheGraphOrTheModelAreRefused() {
        SegmentationModel m = model();
        IllegalArgumentException graph = assertThrows(IllegalArgumentException.class, () -> ModelArchive.write(
                dir.resolve("a.zip"), false, m.graph(), Map.of(ModelArchive.PARAMETERS, "x"), t -> { }));
        assertTrue(graph.getMessage().contains("reserved"), graph.getMessage());
        IllegalArgumentException own = assertThrows(IllegalArgumentException.class, () -> m.save(dir.resolve("b.zip"),
                false, Map.of(SegmentationModel.CONFIG_ENTRY, "{}"), t -> { }));
        assertTrue(own.getMessage().contains("model's own"), own.getMessage());
        assertTrue(Files.notExists(dir.resolve("a.zip")) && Files.notExists(dir.resolve("b.zip")));
    }
}
