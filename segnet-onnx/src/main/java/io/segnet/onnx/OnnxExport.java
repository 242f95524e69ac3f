package io.segnet.onnx;

import ai.onnx.proto.OnnxMl;
import io.segnet.common.io.AtomicFiles;
import io.segnet.models.InputSizeRule;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.Versions;
import io.segnet.onnx.OnnxGraph.Attr;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Exports a segnet model's inference graph to ONNX (opset 17, IR version 8), the format ONNX Runtime, TensorRT and
 * OpenVINO run.
 *
 * <p>The file has one input {@value #INPUT}: {@code FLOAT [batch, inChannels, height, width]}, the images exactly as
 * {@link SegmentationModel#logits} takes them (already normalised; {@code segnet.preprocessing} in the metadata says
 * how, where the checkpoint recorded it); the batch is always dynamic, height and width are dynamic unless
 * {@link OnnxExportOptions#withFixedSize fixed}, and must be sizes the model accepts ({@code segnet.input_size} in
 * the metadata). Its output {@value #LOGITS} is {@code FLOAT [batch, numClasses, height, width]}, the model's
 * logits (the mean of UNet++'s deep-supervision heads), and optionally {@value #CLASSES}, {@code INT64
 * [batch, 1, height, width]}. Which operators express which layer: {@link GraphTranslation}.
 *
 * <p>Usage: {@code OnnxExport.write(model, Path.of("model.onnx"), OnnxExportOptions.defaults(), Map.of(), false)}.
 */
public final class OnnxExport {
    /** The opset the graph is written for. */
    public static final int OPSET = 17;
    /** The IR version of opset 17. */
    public static final int IR_VERSION = 8;
    /** Name of the graph input. */
    public static final String INPUT = "images";
    /** Name of the logits output. */
    public static final String LOGITS = "logits";
    /** Name of the optional class-map output. */
    public static final String CLASSES = "classes";

    private OnnxExport() {
    }

    /**
     * The ONNX model of {@code model}.
     *
     * @param metadata extra {@code metadata_props} entries (e.g. the training metadata); segnet adds
     *                 {@code segnet.config}, {@code segnet.input_size} and {@code segnet.version}
     * @throws IllegalArgumentException      if a fixed size is one the model does not accept
     * @throws UnsupportedOperationException if the graph holds a layer the exporter cannot express (none of segnet's
     *                                       architectures does)
     */
    public static OnnxMl.ModelProto toModel(SegmentationModel model, OnnxExportOptions options,
                                            Map<String, String> metadata) {
        return build(model, options, metadata).model();
    }

    /** What {@link #build} and {@link #write} produce: the model and how many batch norms were folded into convolutions. */
    public record Result(OnnxMl.ModelProto model, int foldedBatchNorms) {
    }

    /** As {@link #toModel}, reporting the folded batch norms too. */
    public static Result build(SegmentationModel model, OnnxExportOptions options, Map<String, String> metadata) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        ModelConfig config = model.config();
        InputSizeRule rule = config.inputSizeRule();
        if (options.fixedSize()) {
            rule.check("ONNX export at a fixed size", options.height(), options.width());
        }
        OnnxGraph g = new OnnxGraph("segnet_" + config.typeName());
        Object h = options.fixedSize() ? (Object) (long) options.height() : "height";
        Object w = options.fixedSize() ? (Object) (long) options.width() : "width";
        g.input(OnnxGraph.valueInfo(g.reserve(INPUT), OnnxMl.TensorProto.DataType.FLOAT, "batch",
                (long) config.inChannels(), h, w));
        String logitsName = g.reserve(LOGITS);
        String classesName = options.classMap() ? g.reserve(CLASSES) : null;

        SegmentationModel exported = options.foldBatchNorm() ? model.foldedForInference() : model;
        List<String> heads = new GraphTranslation(exported.graph(), g).translate(INPUT, model.logitOutputs());
        String logits = heads.size() == 1 ? heads.get(0) : g.op("Mean", "logits_mean", heads);
        g.node("Identity", "logits", List.of(logits), List.of(logitsName));
        g.output(OnnxGraph.valueInfo(logitsName, OnnxMl.TensorProto.DataType.FLOAT, "batch",
                (long) config.numClasses(), h, w));
        if (classesName != null) {
            if (config.numClasses() == 1) {
                String positive = g.op("Greater", "classes_positive", List.of(logitsName,
                        g.floats("zero", new long[]{}, new float[]{0})));
                g.node("Cast", "classes", List.of(positive), List.of(classesName),
                        Attr.integer("to", OnnxMl.TensorProto.DataType.INT64.getNumber()));
            } else {
                g.node("ArgMax", "classes", List.of(logitsName), List.of(classesName), Attr.integer("axis", 1),
                        Attr.integer("keepdims", 1));
            }
            g.output(OnnxGraph.valueInfo(classesName, OnnxMl.TensorProto.DataType.INT64, "batch", 1L, h, w));
        }

        Map<String, String> props = new LinkedHashMap<>();
        props.put("segnet.version", Versions.segnet());
        props.put("segnet.architecture", config.typeName());
        props.put("segnet.config", config.toJson());
        props.put("segnet.input_size", options.fixedSize() ? options.height() + "x" + options.width()
                : "height and width at least " + rule.minimum() + (rule.multiple() > 1 ? " and multiples of "
                + rule.multiple() + " (" + rule.reason() + ")" : ", any size"));
        props.putAll(metadata);
        OnnxMl.ModelProto.Builder m = modelOf(g).setDocString("segnet " + config.typeName() + ": images [batch, "
                + config.inChannels() + ", height, width] -> logits [batch, " + config.numClasses()
                + ", height, width]");
        List<OnnxMl.StringStringEntryProto> entries = new ArrayList<>();
        props.forEach((k, v) -> entries.add(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build()));
        m.addAllMetadataProps(entries);
        return new Result(m.build(), exported.foldedBatchNorms().size());
    }

    private static OnnxMl.ModelProto.Builder modelOf(OnnxGraph g) {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("segnet")
                .setProducerVersion(Versions.segnet())
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g.build());
    }

    /**
     * The ONNX model of any graph of segnet layers and vertices with one image input (dynamic batch, height and
     * width) bound to {@value #INPUT}, and the given vertices as float outputs {@code out0, out1, ...} of rank 4
     * (for testing single layers and vertices).
     */
    static OnnxMl.ModelProto graphModel(ComputationGraph net, long inChannels, List<String> outputs) {
        OnnxGraph g = new OnnxGraph("graph");
        g.input(OnnxGraph.valueInfo(g.reserve(INPUT), OnnxMl.TensorProto.DataType.FLOAT, "batch", inChannels,
                "height", "width"));
        List<String> values = new GraphTranslation(net, g).translate(INPUT, outputs);
        for (int i = 0; i < values.size(); i++) {
            String out = g.reserve("out" + i);
            g.node("Identity", out, List.of(values.get(i)), List.of(out));
            g.output(OnnxGraph.valueInfo(out, OnnxMl.TensorProto.DataType.FLOAT, "n" + i, "c" + i, "h" + i,
                    "w" + i));
        }
        return modelOf(g).build();
    }

    /**
     * Writes the ONNX model of {@code model} to {@code file} atomically (a complete file or none).
     *
     * @return the result, with the count of folded batch norms
     * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists and {@code overwrite} is false
     */
    public static Result write(SegmentationModel model, Path file, OnnxExportOptions options,
                               Map<String, String> metadata, boolean overwrite) throws IOException {
        Result r = build(model, options, metadata);
        AtomicFiles.write(file, overwrite, out -> r.model().writeTo(out));
        return r;
    }
}
