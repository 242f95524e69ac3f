package io.segnet.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtSession;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.unet.UNetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exported file: its declared interface, metadata, a fixed-size export, and safe writing. */
class OnnxExportFileTest {
    private static final UNetConfig UNET = UNetConfig.classic(1, 3, 32, 40, 4, 3);

    @Test
    void declaresOpset17DynamicAxesAndSegnetMetadata() {
        SegmentationModel model = SegmentationModels.create(UNET);
        OnnxMl.ModelProto m = OnnxExport.toModel(model, OnnxExportOptions.defaults(), Map.of("note", "hello"));
        assertEquals(OnnxExport.IR_VERSION, m.getIrVersion());
        assertEquals(17, m.getOpsetImport(0).getVersion());
        OnnxMl.ValueInfoProto in = m.getGraph().getInput(0);
        assertEquals("images", in.getName());
        assertEquals(List.of("batch", "1", "height", "width"), dims(in));
        assertEquals(List.of("logits"), m.getGraph().getOutputList().stream().map(OnnxMl.ValueInfoProto::getName)
                .toList());
        assertEquals(List.of("batch", "3", "height", "width"), dims(m.getGraph().getOutput(0)));
        Map<String, String> props = m.getMetadataPropsList().stream().collect(Collectors.toMap(
                OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
        assertEquals("hello", props.get("note"));
        assertEquals(UNET.toJson(), props.get("segnet.config"));
        assertTrue(props.get("segnet.input_size").contains("multiples of 8"), props.get("segnet.input_size"));
        // The training-only loss layers leave nothing behind, and every batch norm follows a convolution here.
        assertTrue(m.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("BatchNormalization")));
    }

    @Test
    void fixedSizeExportRunsAtThatSizeAndRejectsSizesTheModelRefuses() throws Exception {
        SegmentationModel model = SegmentationModels.create(UNET);
        OnnxRuntimeCheck.randomiseBatchNorms(model, 3);
        OnnxMl.ModelProto m = OnnxExport.toModel(model, OnnxExportOptions.defaults().withFixedSize(24, 48), Map.of());
        assertEquals(List.of("batch", "1", "24", "48"), dims(m.getGraph().getInput(0)));
        try (OrtSession s = OnnxRuntimeCheck.session(m.toByteArray())) {
            INDArray x = OnnxRuntimeCheck.images(5, 3, 1, 24, 48);
            OnnxRuntimeCheck.assertAgrees("fixed 24x48", model.logits(x), OnnxRuntimeCheck.run(s, x).logits());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.toModel(model,
                OnnxExportOptions.defaults().withFixedSize(30, 40), Map.of()));
        assertTrue(e.getMessage().contains("32x40"), e.getMessage());
    }

    @Test
    void writesAtomicallyAndKeepsAnExistingFileUnlessToldToReplaceIt(@TempDir Path dir) throws Exception {
        SegmentationModel model = SegmentationModels.create(UNET);
        Path file = dir.resolve("out/model.onnx");
        OnnxExport.Result r = OnnxExport.write(model, file, OnnxExportOptions.defaults(), Map.of(), false);
        assertArrayEquals(r.model().toByteArray(), Files.readAllBytes(file));
        Files.writeString(file, "mine");
        assertThrows(FileAlreadyExistsException.class, () -> OnnxExport.write(model, file,
                OnnxExportOptions.defaults(), Map.of(), false));
        assertEquals("mine", Files.readString(file));
        OnnxExport.write(model, file, OnnxExportOptions.defaults(), Map.of(), true);
        assertEquals(OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file)), r.model());
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    private static List<String> dims(OnnxMl.ValueInfoProto v) {
        return v.getType().getTensorType().getShape().getDimList().stream()
                .map(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue())).toList();
    }
}
