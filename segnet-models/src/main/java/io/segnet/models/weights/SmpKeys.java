package io.segnet.models.weights;

import io.segnet.models.ModelConfig;
import io.segnet.models.Upsampling;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The segmentation_models_pytorch state_dict key of every parameter of a segnet model built from an smp-compatible
 * config ({@link SmpArchitecture}), and the check that a config is one.
 *
 * <p>Encoder: torchvision's keys ({@link TorchvisionKeys}) under {@code encoder.}. Decoders, with {@code <m>.0} a
 * convolution and {@code <m>.1} its batch norm (smp's {@code Conv2dReLU} and {@code nn.Sequential} blocks), and a
 * separable convolution {@code <s>} being {@code <s>.0} (depthwise) and {@code <s>.1} (pointwise):
 * <ul>
 *   <li>U-Net: {@code decoder.block<l>.conv<c>} is {@code decoder.blocks.<L-1-l>.conv<c>} (L decoder blocks);</li>
 *   <li>UNet++: {@code decoder.x<i>_<j>.conv<c>} is {@code decoder.blocks.x_<L-i-j>_<L-1-i>.conv<c>};</li>
 *   <li>PSPNet: {@code ppm.bin<b>} is {@code decoder.psp.blocks.<k>.pool.1} (k: the bin's index),
 *       {@code head.bottleneck} is {@code decoder.conv}, its input channels reordered (smp concatenates the bins
 *       before the map);</li>
 *   <li>DeepLabv3+: {@code aspp.branch<k>} is {@code decoder.aspp.0.convs.<k>}, {@code aspp.pooling.conv/bn} is
 *       {@code decoder.aspp.0.convs.<R+1>.1/2}, {@code aspp.project} is {@code decoder.aspp.0.project},
 *       {@code aspp.output.conv/bn} is {@code decoder.aspp.1/2}, {@code decoder.low} is {@code decoder.block1},
 *       {@code decoder.fuse1} is {@code decoder.block2};</li>
 *   <li>every head: {@code head.classifier} (UNet++: {@code head<L>.classifier}) is {@code segmentation_head.0}.</li>
 * </ul>
 */
final class SmpKeys {
    /** The prefix of smp's encoder keys. */
    static final String ENCODER = "encoder.";

    private static final Pattern UNET = Pattern.compile("decoder\\.block(\\d+)\\.conv([12])\\.(conv|bn)");
    private static final Pattern UNETPP = Pattern.compile("decoder\\.x(\\d+)_(\\d+)\\.conv([12])\\.(conv|bn)");
    private static final Pattern PSP_BIN = Pattern.compile("ppm\\.bin(\\d+)\\.(conv|bn)");
    private static final Pattern ASPP = Pattern.compile("aspp\\.(branch(\\d+)|pooling|project|output)\\.(conv|bn)");

    private SmpKeys() {
    }

    /**
     * The keys of every parameter of {@code graph}, built from {@code config}.
     *
     * @throws IllegalArgumentException if the config is not smp-compatible (the message lists every difference)
     */
    static List<ParamKey> of(ComputationGraph graph, ModelConfig config) {
        SmpArchitecture arch = SmpArchitecture.of(config);
        List<String> differences = differences(config);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("this " + config.typeName() + " config differs from smp's "
                    + arch.smpClass() + ": " + String.join("; ", differences) + ". Build it with "
                    + arch.preset() + " or SmpWeights.config(...)");
        }
        Function<String, String> module = switch (arch) {
            case UNET -> name -> unet(name, graphDepth(config));
            case UNET_PLUS_PLUS -> name -> unetPlusPlus(name, graphDepth(config));
            case PSPNET -> name -> pspnet(name, (PSPNetConfig) config);
            case DEEPLABV3PLUS -> name -> deeplab(name, (DeepLabV3PlusConfig) config);
        };
        return ModelKeys.of(graph, config, ENCODER, module, (layer, param) -> layer.equals("head.bottleneck.conv")
                && param.equals("W") ? pyramidOrder(graph, (PSPNetConfig) config) : null, "smp");
    }

    /** The ways {@code config} differs from its smp counterpart's structure (empty if it matches). */
    static List<String> differences(ModelConfig config) {
        List<String> d = new ArrayList<>();
        if (!(EncoderWeights.encoderOf(config) instanceof ResNetConfig r)) {
            d.add("the encoder is " + EncoderWeights.encoderOf(config).typeName() + " (smp: resnet)");
            return d;
        }
        if (config instanceof UNetConfig c) {
            stride32(d, r);
            interpolation(d, c.upsampling());
            differs(d, "headKernel", c.headKernel(), 3);
        } else if (config instanceof UNetPlusPlusConfig c) {
            stride32(d, r);
            interpolation(d, c.upsampling());
            differs(d, "nodeLayout", c.nodeLayout(), UNetPlusPlusConfig.NodeLayout.SMP);
            differs(d, "headKernel", c.headKernel(), 3);
            differs(d, "inferenceDepth", c.inferenceDepth(), 0);
        } else if (config instanceof PSPNetConfig c) {
            int levels = c.builtLevels();
            int undilated = r.outputStride() == 32 ? 6 : r.outputStride() == 16 ? 5 : 4;
            if (levels > undilated) {
                d.add("the encoder's stage " + (levels - 1) + " is dilated (outputStride " + r.outputStride() + ");"
                        + " smp's PSPNet encoder is not (use outputStride 32)");
            }
            differs(d, "pyramid", c.pyramid(), true);
            differs(d, "bins", c.bins(), PSPNetConfig.DEFAULT_BINS);
            differs(d, "globalBinBatchNorm", c.globalBinBatchNorm(), false);
            differs(d, "bottleneckKernel", c.bottleneckKernel(), 1);
            differs(d, "headKernel", c.headKernel(), 3);
            differs(d, "alignCorners", c.alignCorners(), true);
            differs(d, "auxiliary", c.auxiliary(), false);
        } else if (config instanceof DeepLabV3PlusConfig c) {
            if (r.outputStride() == 32) {
                d.add("the encoder's outputStride is 32 (smp: 16 or 8)");
            }
            differs(d, "encoder dilation", r.dilation(), ResNetConfig.Dilation.UNIFORM);
            differs(d, "decoder", c.decoder(), true);
            differs(d, "separable", c.separable(), true);
            differs(d, "asppOutputConv", c.asppOutputConv(), true);
            differs(d, "fuseConvs", c.fuseConvs(), 1);
            differs(d, "alignCorners", c.alignCorners(), true);
            differs(d, "number of asppRates", c.asppRates().size(), 3);
        }
        return d;
    }

    /** smp's decoder_interpolation: "nearest" (the default) or, since smp 0.5, "bilinear" (align_corners false). */
    private static void interpolation(List<String> d, Upsampling upsampling) {
        if (upsampling == Upsampling.TRANSPOSED) {
            d.add("upsampling is TRANSPOSED (smp: NEAREST, or BILINEAR for decoder_interpolation=\"bilinear\")");
        }
    }

    private static void stride32(List<String> d, ResNetConfig r) {
        if (r.outputStride() != 32) {
            d.add("the encoder's outputStride is " + r.outputStride() + " (smp: 32, no dilation)");
        }
    }

    private static void differs(List<String> d, String field, Object value, Object smp) {
        ModelKeys.differs(d, field, value, smp, "smp");
    }

    /** Decoder depth L of a U-Net or UNet++ graph: the encoder's levels less one. */
    private static int graphDepth(ModelConfig config) {
        return config instanceof UNetPlusPlusConfig c ? c.builtDepth() : EncoderWeights.encoderOf(config).levels() - 1;
    }

    private static String unet(String name, int depth) {
        if (name.equals("head.classifier")) {
            return "segmentation_head.0";
        }
        Matcher m = UNET.matcher(name);
        if (!m.matches()) {
            return null;
        }
        int block = depth - 1 - Integer.parseInt(m.group(1));
        return "decoder.blocks." + block + ".conv" + m.group(2) + (m.group(3).equals("conv") ? ".0" : ".1");
    }

    private static String unetPlusPlus(String name, int depth) {
        if (name.equals("head" + depth + ".classifier")) {
            return "segmentation_head.0";
        }
        Matcher m = UNETPP.matcher(name);
        if (!m.matches()) {
            return null;
        }
        int i = Integer.parseInt(m.group(1)), j = Integer.parseInt(m.group(2));
        return "decoder.blocks.x_" + (depth - i - j) + "_" + (depth - 1 - i) + ".conv" + m.group(3)
                + (m.group(4).equals("conv") ? ".0" : ".1");
    }

    private static String pspnet(String name, PSPNetConfig c) {
        switch (name) {
            case "head.classifier":
                return "segmentation_head.0";
            case "head.bottleneck.conv":
                return "decoder.conv.0";
            case "head.bottleneck.bn":
                return "decoder.conv.1";
            default:
                break;
        }
        Matcher m = PSP_BIN.matcher(name);
        if (!m.matches()) {
            return null;
        }
        int k = c.bins().indexOf(Integer.parseInt(m.group(1)));
        return "decoder.psp.blocks." + k + ".pool.1" + (m.group(2).equals("conv") ? ".0" : ".1");
    }

    /**
     * segnet's bottleneck input is {@code [map (C), bin 0, bin 1, ...]} ({@code b} channels each), smp's
     * {@code [bin 0, bin 1, ..., map]}: segnet channel c is smp channel {@code order[c]}.
     */
    private static int[] pyramidOrder(ComputationGraph graph, PSPNetConfig c) {
        long[] bin = graph.getLayer("ppm.bin" + c.bins().get(0) + ".conv").getParam("W").shape();
        int branch = (int) bin[0], map = (int) bin[1], bins = c.bins().size();
        int[] order = new int[map + bins * branch];
        for (int ch = 0; ch < map; ch++) {
            order[ch] = bins * branch + ch;
        }
        for (int ch = map; ch < order.length; ch++) {
            order[ch] = ch - map;
        }
        return order;
    }

    private static String deeplab(String name, DeepLabV3PlusConfig c) {
        switch (name) {
            case "head.classifier":
                return "segmentation_head.0";
            case "decoder.low.conv":
                return "decoder.block1.0";
            case "decoder.low.bn":
                return "decoder.block1.1";
            case "decoder.fuse1.conv":
                return "decoder.block2.0";
            case "decoder.fuse1.bn":
                return "decoder.block2.1";
            default:
                break;
        }
        Matcher m = ASPP.matcher(name);
        if (!m.matches()) {
            return null;
        }
        boolean conv = m.group(3).equals("conv");
        String part = m.group(1);
        if (m.group(2) != null) {
            return "decoder.aspp.0.convs." + m.group(2) + (conv ? ".0" : ".1");
        }
        return switch (part) {
            case "pooling" -> "decoder.aspp.0.convs." + (c.asppRates().size() + 1) + (conv ? ".1" : ".2");
            case "project" -> "decoder.aspp.0.project" + (conv ? ".0" : ".1");
            default -> conv ? "decoder.aspp.1" : "decoder.aspp.2";
        };
    }
}
