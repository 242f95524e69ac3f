package io.segnet.models.weights;

import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.EncoderConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.encoder.Vgg16Config;
import io.segnet.models.fcn.FcnConfig;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.segnet.SegNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Loads a torchvision-layout state_dict into a segnet encoder: ResNet-18/34/50 ({@code conv1}, {@code bn1},
 * {@code layer<l>.<b>.*}, {@code downsample.0/1}; {@code fc} dropped) and VGG16 / VGG16-BN ({@code features.<n>};
 * {@code classifier} dropped), as torchvision, timm and segmentation_models_pytorch store them. A wrapper prefix
 * ({@code encoder.} for smp, {@code model.}/{@code module.} for Lightning and DataParallel, or a combination) is found
 * and stripped: it is the prefix under which most of the encoder's keys exist.
 *
 * <p>Loading is all or nothing: every shape is checked before any parameter changes, and a mismatch names the first
 * key and both shapes. A key missing for a segnet parameter is an error; so is, unless {@code allowUnexpected}, a key
 * under the prefix that belongs to no encoder parameter (a ResNet-34 checkpoint for a ResNet-18 encoder has
 * {@code layer1.2.*}, whose shapes would otherwise fit). The decoder and head keep their initialisation. Batch norm
 * layers take PyTorch's running mean and variance as they are (segnet stores the variance, eps 1e-5 as PyTorch).
 */
public final class EncoderWeights {
    /** The scope every segnet architecture builds its encoder under. */
    public static final String SCOPE = "encoder";

    private EncoderWeights() {
    }

    /** Loads {@code weights} into {@code model}'s encoder, strictly (no missing, no unexpected keys). */
    public static ImportReport load(SegmentationModel model, StateDict weights) {
        return load(model, weights, false);
    }

    /**
     * Loads {@code weights} into {@code model}'s encoder.
     *
     * @param allowUnexpected accept (and report) keys under the prefix that match no encoder parameter
     * @throws IllegalArgumentException if the model's encoder has no torchvision counterpart, a key is missing or
     *                                  unexpected, or a shape differs (the message names the key and both shapes)
     */
    public static ImportReport load(SegmentationModel model, StateDict weights, boolean allowUnexpected) {
        return load(model.graph(), encoderOf(model.config()), SCOPE, weights, allowUnexpected);
    }

    /**
     * Loads {@code weights} into the encoder {@code encoder} built under {@code scope} in {@code graph} (which must be
     * initialised).
     */
    public static ImportReport load(ComputationGraph graph, EncoderConfig encoder, String scope, StateDict weights,
                                    boolean allowUnexpected) {
        List<ParamKey> keys = TorchvisionKeys.of(graph, encoder, scope);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the graph has no layers under '" + scope + ".'; is the encoder built"
                    + " under another scope?");
        }
        Predicate<String> unbuilt = TorchvisionKeys.unbuiltStages(keys, "");
        return KeyedImport.load(graph, keys, weights, "the " + encoder.typeName() + " encoder " + describe(encoder),
                "the encoder", local -> local.endsWith("num_batches_tracked") || local.startsWith("fc.")
                        || local.startsWith("classifier.") || unbuilt.test(local), allowUnexpected,
                EncoderWeights::shapeHint);
    }

    /**
     * Loads a torchvision VGG16 classifier into an FCN's {@code head.fc6} and {@code head.fc7}, the FCN paper's
     * "convolutionalised" VGG: {@code classifier.0} ({@code Linear(512 x 7 x 7, 4096)}) becomes the 7x7 convolution
     * fc6 (weight reshaped to {@code [4096, 512, 7, 7]}, as PyTorch flattens {@code [C, H, W]}) and
     * {@code classifier.3} ({@code Linear(4096, 4096)}) the 1x1 convolution fc7. Call it after {@link #load} on an FCN
     * whose {@code fc6Kernel} is 7 (the Linear's 7x7 input grid) and channels match the file.
     *
     * @return the report over the classifier's keys (every other key is dropped)
     * @throws IllegalArgumentException if the model is not an FCN on VGG16, a key is missing, or a shape differs
     */
    public static ImportReport loadFcnClassifier(SegmentationModel model, StateDict weights) {
        if (!(model.config() instanceof FcnConfig fcn) || !(fcn.encoder() instanceof Vgg16Config)) {
            throw new IllegalArgumentException("loadFcnClassifier needs an FCN on a vgg16 encoder, got a "
                    + model.config().typeName() + " with a " + encoderOf(model.config()).typeName() + " encoder");
        }
        List<ParamKey> keys = List.of(
                new ParamKey("classifier.0.weight", "head.fc6", "W"),
                new ParamKey("classifier.0.bias", "head.fc6", "b"),
                new ParamKey("classifier.3.weight", "head.fc7", "W"),
                new ParamKey("classifier.3.bias", "head.fc7", "b"));
        String prefix = KeyedImport.findPrefix(keys, weights.tensors().keySet());
        List<String> used = new ArrayList<>(), dropped = new ArrayList<>(), missing = new ArrayList<>();
        Map<ParamKey, INDArray> values = new LinkedHashMap<>();
        for (ParamKey k : keys) {
            Tensor t = weights.get(prefix + k.torchKey());
            if (t == null) {
                missing.add(k.segnetName() + " (key '" + prefix + k.torchKey() + "')");
                continue;
            }
            INDArray param = KeyedImport.param(model.graph(), k);
            if (t.numel() != param.length() || param.size(0) != t.shape()[0]) {
                throw new IllegalArgumentException("cannot load the VGG16 classifier into the FCN head: checkpoint key '"
                        + prefix + k.torchKey() + "' has shape " + Arrays.toString(t.shape()) + ", segnet's "
                        + k.segnetName() + " has shape " + Arrays.toString(param.shape()) + " (fc6 needs fc6Kernel 7"
                        + " and fc6Channels/fc7Channels equal to the file's, 4096 for torchvision's vgg16)");
            }
            values.put(k, t.toINDArray().reshape(param.shape()));
            used.add(prefix + k.torchKey());
        }
        for (String name : weights.tensors().keySet()) {
            if (!used.contains(name)) {
                dropped.add(name);
            }
        }
        ImportReport report = new ImportReport(prefix, used, dropped, List.of(), missing);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("cannot load the VGG16 classifier into the FCN head: the checkpoint"
                    + " lacks " + missing.get(0) + ". " + report.summary() + KeyedImport.firstKeys(weights));
        }
        values.forEach((k, v) -> KeyedImport.param(model.graph(), k).assign(v));
        return report;
    }

    /**
     * The encoder of a model config.
     *
     * @throws IllegalArgumentException for an architecture without an encoder field
     */
    public static EncoderConfig encoderOf(ModelConfig config) {
        if (config instanceof UNetConfig c) {
            return c.encoder();
        } else if (config instanceof UNetPlusPlusConfig c) {
            return c.encoder();
        } else if (config instanceof DeepLabV3PlusConfig c) {
            return c.encoder();
        } else if (config instanceof PSPNetConfig c) {
            return c.encoder();
        } else if (config instanceof FcnConfig c) {
            return c.encoder();
        } else if (config instanceof SegNetConfig c) {
            return c.encoder();
        }
        throw new IllegalArgumentException("no encoder in a " + config.typeName() + " config");
    }

    static String describe(EncoderConfig e) {
        if (e instanceof ResNetConfig r) {
            return "(ResNet-" + r.depth() + ", width " + r.width() + ")";
        }
        return "(" + e + ")";
    }

    static String shapeHint(ParamKey k, long[] file, long[] segnet) {
        boolean firstConv = List.of("conv1.weight", "features.0.weight", SmpKeys.ENCODER + "conv1.weight")
                .contains(k.torchKey());
        if (firstConv && file.length == 4 && segnet.length == 4 && file[0] == segnet[0] && file[1] != segnet[1]) {
            return " (the checkpoint was trained on " + file[1] + "-channel images, the model takes " + segnet[1]
                    + ")";
        }
        return " (a different encoder depth or width?)";
    }
}
