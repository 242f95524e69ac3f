package io.segnet.models.weights;

import io.segnet.core.layers.BatchNorm;
import io.segnet.core.layers.Conv2D;
import io.segnet.models.encoder.EncoderConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.encoder.Vgg16Config;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The torchvision state_dict key of every parameter of a segnet encoder built under a scope (usually
 * {@code encoder}).
 *
 * <p>ResNet: {@code stem.conv/bn} is {@code conv1}/{@code bn1}; {@code layer<l>.block<b>.conv<i>.conv/bn} is
 * {@code layer<l>.<b>.conv<i>}/{@code bn<i>}; {@code downsample.conv/bn} is {@code downsample.0/1}. VGG16:
 * {@code block<b>.conv<c>.conv} (and {@code .bn}) is {@code features.<n>} (and {@code features.<n+1>}), {@code n}
 * counting torchvision's {@code features} sequence of convolutions, batch norms, ReLUs and poolings. Parameters:
 * {@code W, b} are {@code weight, bias}; {@code gamma, beta, runningMean, runningVar} are {@code weight, bias,
 * running_mean, running_var}.
 */
final class TorchvisionKeys {
    private static final Pattern RESNET = Pattern.compile(
            "stem\\.(conv|bn)|layer(\\d+)\\.block(\\d+)\\.(?:conv(\\d+)\\.(conv|bn)|downsample\\.(conv|bn))");
    private static final Pattern VGG = Pattern.compile("block(\\d)\\.conv(\\d)\\.(conv|bn)");

    private TorchvisionKeys() {
    }

    /**
     * The keys of every parameter of the layers named {@code scope.*} in {@code graph}, in graph order.
     *
     * @throws IllegalArgumentException if the encoder type has no torchvision counterpart
     */
    static List<ParamKey> of(ComputationGraph graph, EncoderConfig encoder, String scope) {
        if (!(encoder instanceof ResNetConfig) && !(encoder instanceof Vgg16Config)) {
            throw new IllegalArgumentException("the " + encoder.typeName() + " encoder has no torchvision counterpart;"
                    + " pretrained weights load into \"resnet\" (18, 34, 50) and \"vgg16\" encoders");
        }
        String lead = scope + ".";
        Map<Integer, Integer> vggIndex = encoder instanceof Vgg16Config v ? vggFeatureIndex(v) : Map.of();
        List<ParamKey> out = new ArrayList<>();
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (!name.startsWith(lead)) {
                continue;
            }
            if (!(layer.conf().getLayer() instanceof BatchNorm) && !(layer.conf().getLayer() instanceof Conv2D)) {
                continue;
            }
            String local = name.substring(lead.length());
            String module = encoder instanceof ResNetConfig ? resnetModule(local) : vggModule(local, vggIndex);
            if (module == null) {
                throw new IllegalStateException("no torchvision name for encoder layer '" + name + "'");
            }
            for (String p : layer.paramTable().keySet()) {
                out.add(new ParamKey(module + "." + torchParam(p, name), name, p));
            }
        }
        return out;
    }

    /**
     * Recognises the keys of ResNet stages that a truncated encoder does not build: {@code <keyPrefix>layer<n>.*} with
     * {@code n} above the deepest stage among {@code keys} (PSPNet on the first three stages, a pruned UNet++).
     */
    static Predicate<String> unbuiltStages(List<ParamKey> keys, String keyPrefix) {
        Pattern stage = Pattern.compile(Pattern.quote(keyPrefix) + "layer(\\d+)\\..*");
        int deepest = 0;
        boolean resnet = false;
        for (ParamKey k : keys) {
            Matcher m = stage.matcher(k.torchKey());
            if (m.matches()) {
                deepest = Math.max(deepest, Integer.parseInt(m.group(1)));
            }
            resnet |= k.torchKey().equals(keyPrefix + "bn1.weight");
        }
        if (!resnet) {
            return key -> false;
        }
        int built = deepest;
        return key -> {
            Matcher m = stage.matcher(key);
            return m.matches() && Integer.parseInt(m.group(1)) > built && Integer.parseInt(m.group(1)) <= 4;
        };
    }

    private static String resnetModule(String local) {
        Matcher m = RESNET.matcher(local);
        if (!m.matches()) {
            return null;
        }
        if (m.group(1) != null) {
            return m.group(1).equals("conv") ? "conv1" : "bn1";
        }
        String block = "layer" + m.group(2) + "." + m.group(3) + ".";
        if (m.group(4) != null) {
            return block + (m.group(5).equals("conv") ? "conv" : "bn") + m.group(4);
        }
        return block + "downsample." + (m.group(6).equals("conv") ? "0" : "1");
    }

    private static String vggModule(String local, Map<Integer, Integer> index) {
        Matcher m = VGG.matcher(local);
        if (!m.matches()) {
            return null;
        }
        int n = index.get(Integer.parseInt(m.group(1)) * 10 + Integer.parseInt(m.group(2)));
        return "features." + (m.group(3).equals("conv") ? n : n + 1);
    }

    /** Index in torchvision's {@code features} of the convolution of block b, conv c, keyed {@code 10 b + c}. */
    private static Map<Integer, Integer> vggFeatureIndex(Vgg16Config config) {
        Map<Integer, Integer> index = new HashMap<>();
        int n = 0;
        for (int b = 1; b <= Vgg16Config.BLOCK_CONVS.size(); b++) {
            for (int c = 1; c <= Vgg16Config.BLOCK_CONVS.get(b - 1); c++) {
                index.put(b * 10 + c, n);
                n += config.batchNorm() ? 3 : 2;
            }
            n++;
        }
        return index;
    }

    /** PyTorch's name of a segnet convolution or batch norm parameter: {@code W} is {@code weight}, and so on. */
    static String torchParam(String segnetParam, String layer) {
        return switch (segnetParam) {
            case "W", "gamma" -> "weight";
            case "b", "beta" -> "bias";
            case "runningMean" -> "running_mean";
            case "runningVar" -> "running_var";
            default -> throw new IllegalStateException("no torchvision name for parameter '" + segnetParam + "' of '"
                    + layer + "'");
        };
    }
}
