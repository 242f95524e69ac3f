package io.segnet.models;

import io.segnet.models.graph.Blocks;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;

/**
 * The frame every architecture builds in: a float32 graph with the training setup, one image input named
 * {@code input} of the config's channels and size, and output heads that end in the config's loss.
 *
 * <p>An architecture calls {@link #root()} and {@link #input()}, wires its encoder and decoder, adds its heads with
 * {@link #logits} (and {@link #auxiliary}), then {@link #build()}.
 */
public final class GraphAssembly {
    /** Name of the graph's image input. */
    public static final String INPUT = "input";

    private final ModelConfig config;
    private final Training training;
    private final ComputationGraphConfiguration.GraphBuilder builder;
    private final GraphScope root;
    private final List<String> logits = new ArrayList<>();
    private final List<String> auxiliary = new ArrayList<>();

    private GraphAssembly(ModelConfig config, Training training) {
        this.config = config;
        this.training = training;
        builder = new NeuralNetConfiguration.Builder().seed(training.seed()).dataType(DataType.FLOAT)
                .updater(training.updater()).weightInit(WeightInit.RELU).graphBuilder();
        root = GraphScope.root(builder, INPUT, config.inChannels(), config.inputHeight(), config.inputWidth());
    }

    /** Starts the graph of {@code config}. */
    public static GraphAssembly start(ModelConfig config, Training training) {
        return new GraphAssembly(config, training);
    }

    /** The root naming scope. */
    public GraphScope root() {
        return root;
    }

    /** The image input, {@code [inChannels, inputHeight, inputWidth]}. */
    public Node input() {
        return root.input();
    }

    /**
     * Adds an output whose logits count towards the model's logits: under {@code scope}, {@code head} (logits at
     * stride {@code headStride}) is resized bilinearly to the input size if the stride is above 1 (vertex
     * {@code upsample}) and fed to the config's loss (layer {@code loss}) with weight {@code lossWeight}.
     */
    public Node logits(GraphScope scope, Node head, int headStride, double lossWeight) {
        return logits(scope, head, headStride, lossWeight, false);
    }

    /**
     * As {@link #logits(GraphScope, Node, int, double)}, resizing with PyTorch's {@code align_corners}
     * ({@code true} is segmentation_models_pytorch's {@code UpsamplingBilinear2d} in its PSPNet and DeepLabV3Plus
     * heads).
     */
    public Node logits(GraphScope scope, Node head, int headStride, double lossWeight, boolean alignCorners) {
        Node out = output(scope, head, headStride, lossWeight, alignCorners);
        logits.add(out.name());
        return out;
    }

    /** Adds a training-only output (an auxiliary head), as {@link #logits}. */
    public Node auxiliary(GraphScope scope, Node head, int headStride, double lossWeight) {
        Node out = output(scope, head, headStride, lossWeight, false);
        auxiliary.add(out.name());
        return out;
    }

    private Node output(GraphScope scope, Node head, int headStride, double lossWeight, boolean alignCorners) {
        if (head.channels() != config.numClasses()) {
            throw new IllegalStateException("head '" + head.name() + "' gives " + head.channels() + " channels, the"
                    + " config has " + config.numClasses() + " classes");
        }
        Node x = headStride > 1 ? Blocks.resizeTo(scope, "upsample", head, input(), alignCorners) : head;
        return scope.layer("loss", config.loss().layer(config.numClasses(), lossWeight), x);
    }

    /** Finishes the graph: its outputs are the logits outputs then the auxiliary ones. */
    public ModelGraph build() {
        List<String> outs = new ArrayList<>(logits);
        outs.addAll(auxiliary);
        builder.setOutputs(outs.toArray(String[]::new));
        ComputationGraphConfiguration conf = builder.build();
        PoolingIndices.recordOnlyWhereUnpooled(conf);
        if (training.weightDecay() > 0) {
            applyWeightDecay(conf, training.weightDecay());
        }
        return new ModelGraph(conf, logits, auxiliary);
    }

    /** Gives every layer exactly one decoupled weight decay on its weights ({@link DecoupledWeightDecay}). */
    private static void applyWeightDecay(ComputationGraphConfiguration conf, double coefficient) {
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer) {
                DecoupledWeightDecay.set(layer, coefficient);
            }
        }
    }
}
