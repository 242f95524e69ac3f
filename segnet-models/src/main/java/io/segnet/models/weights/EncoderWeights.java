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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        List<TorchvisionKeys.ParamKey> keys = TorchvisionKeys.of(graph, encoder, scope);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the graph has no layers under '" + scope + ".'; is the encoder built"
                    + " under another scope?");
        }
        String prefix = findPrefix(keys, weights.tensors().keySet());
        Map<String, TorchvisionKeys.ParamKey> byTorchKey = new HashMap<>();
        for (TorchvisionKeys.ParamKey k : keys) {
            byTorchKey.put(k.torchKey(), k);
        }
        List<String> used = new ArrayList<>(), dropped = new ArrayList<>(), unexpected = new ArrayList<>();
        Map<TorchvisionKeys.ParamKey, Tensor> found = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : weights.tensors().entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                dropped.add(key);
                continue;
            }
            String local = key.substring(prefix.length());
            TorchvisionKeys.ParamKey k = byTorchKey.get(local);
            if (k != null) {
                found.put(k, e.getValue());
                used.add(key);
            } else if (local.endsWith("num_batches_tracked") || local.startsWith("fc.")
                    || local.startsWith("classifier.")) {
                dropped.add(key);
            } else {
                unexpected.add(key);
            }
        }
        List<String> missing = new ArrayList<>();
        for (TorchvisionKeys.ParamKey k : keys) {
            if (!found.containsKey(k)) {
                missing.add(k.segnetName() + " (key '" + prefix + k.torchKey() + "')");
            }
        }
        ImportReport report = new ImportReport(prefix, used, dropped, unexpected, missing);
        String what = encoder.typeName() + " encoder " + describe(encoder);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("cannot load the " + what + ": the checkpoint lacks " + missing.size()
                    + " of its " + keys.size() + " parameters, first " + missing.get(0) + ". " + report.summary()
                    + hint(weights));
        }
        if (!unexpected.isEmpty() && !allowUnexpected) {
            throw new IllegalArgumentException("cannot load the " + what + ": the checkpoint has " + unexpected.size()
                    + " keys the encoder has no parameter for, first '" + unexpected.get(0) + "' (a deeper or"
                    + " different architecture?). " + report.summary()
                    + "; pass allowUnexpected = true to load anyway");
        }
        for (Map.Entry<TorchvisionKeys.ParamKey, Tensor> e : found.entrySet()) {
            INDArray param = param(graph, e.getKey());
            if (!Arrays.equals(param.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("cannot load the " + what + ": checkpoint key '" + prefix
                        + e.getKey().torchKey() + "' has shape " + Arrays.toString(e.getValue().shape())
                        + ", segnet's " + e.getKey().segnetName() + " has shape " + Arrays.toString(param.shape())
                        + shapeHint(e.getKey(), e.getValue().shape(), param.shape()));
            }
        }
        for (Map.Entry<TorchvisionKeys.ParamKey, Tensor> e : found.entrySet()) {
            param(graph, e.getKey()).assign(e.getValue().toINDArray());
        }
        return report;
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
        List<TorchvisionKeys.ParamKey> keys = List.of(
                new TorchvisionKeys.ParamKey("classifier.0.weight", "head.fc6", "W"),
                new TorchvisionKeys.ParamKey("classifier.0.bias", "head.fc6", "b"),
                new TorchvisionKeys.ParamKey("classifier.3.weight", "head.fc7", "W"),
                new TorchvisionKeys.ParamKey("classifier.3.bias", "head.fc7", "b"));
        String prefix = findPrefix(keys, weights.tensors().keySet());
        List<String> used = new ArrayList<>(), dropped = new ArrayList<>(), missing = new ArrayList<>();
        Map<TorchvisionKeys.ParamKey, INDArray> values = new LinkedHashMap<>();
        for (TorchvisionKeys.ParamKey k : keys) {
            Tensor t = weights.get(prefix + k.torchKey());
            if (t == null) {
                missing.add(k.segnetName() + " (key '" + prefix + k.torchKey() + "')");
                continue;
            }
            INDArray param = param(model.graph(), k);
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
                    + " lacks " + missing.get(0) + ". " + report.summary() + hint(weights));
        }
        values.forEach((k, v) -> param(model.graph(), k).assign(v));
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

    private static INDArray param(ComputationGraph graph, TorchvisionKeys.ParamKey k) {
        return graph.getLayer(k.layer()).getParam(k.param());
    }

    /** The prefix p under which the most keys {@code p + torchKey} exist (the shortest on a tie; "" if none). */
    static String findPrefix(List<TorchvisionKeys.ParamKey> keys, Set<String> names) {
        String anchor = keys.get(0).torchKey();
        Set<String> candidates = new LinkedHashSet<>();
        candidates.add("");
        for (String n : names) {
            if (n.endsWith(anchor)) {
                String p = n.substring(0, n.length() - anchor.length());
                if (p.isEmpty() || p.endsWith(".")) {
                    candidates.add(p);
                }
            }
        }
        String best = "";
        int bestCount = -1;
        for (String p : candidates) {
            int count = 0;
            for (TorchvisionKeys.ParamKey k : keys) {
                if (names.contains(p + k.torchKey())) {
                    count++;
                }
            }
            if (count > bestCount || count == bestCount && p.length() < best.length()) {
                best = p;
                bestCount = count;
            }
        }
        return best;
    }

    private static String describe(EncoderConfig e) {
        if (e instanceof ResNetConfig r) {
            return "(ResNet-" + r.depth() + ", width " + r.width() + ")";
        }
        return "(" + e + ")";
    }

    private static String hint(StateDict weights) {
        List<String> names = new ArrayList<>(weights.tensors().keySet());
        return "; the checkpoint's first keys are " + (names.size() <= 4 ? names : names.subList(0, 4));
    }

    private static String shapeHint(TorchvisionKeys.ParamKey k, long[] file, long[] segnet) {
        boolean firstConv = k.torchKey().equals("conv1.weight") || k.torchKey().equals("features.0.weight");
        if (firstConv && file.length == 4 && segnet.length == 4 && file[0] == segnet[0] && file[1] != segnet[1]) {
            return " (the checkpoint was trained on " + file[1] + "-channel images, the model takes " + segnet[1]
                    + ")";
        }
        return " (a different encoder depth or width?)";
    }
}
