package io.segnet.models.weights;

import io.segnet.models.ModelConfig;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;

import java.util.Set;

/**
 * The segmentation_models_pytorch architectures whose whole state_dict (on a ResNet-18/34/50 encoder) imports into
 * segnet ({@link SmpWeights}), each with the segnet preset that builds the matching model.
 */
public enum SmpArchitecture {
    /** smp's {@code Unet}: segnet's {@code unet} built by {@link UNetConfig#smp}. */
    UNET("Unet", "unet", "UNetConfig.smp"),
    /** smp's {@code UnetPlusPlus}: segnet's {@code unetplusplus} built by {@link UNetPlusPlusConfig#smp}. */
    UNET_PLUS_PLUS("UnetPlusPlus", "unetplusplus", "UNetPlusPlusConfig.smp"),
    /** smp's {@code PSPNet}: segnet's {@code pspnet} built by {@link PSPNetConfig#smp}. */
    PSPNET("PSPNet", "pspnet", "PSPNetConfig.smp"),
    /** smp's {@code DeepLabV3Plus}: segnet's {@code deeplabv3plus} built by {@link DeepLabV3PlusConfig#smp}. */
    DEEPLABV3PLUS("DeepLabV3Plus", "deeplabv3plus", "DeepLabV3PlusConfig.smp");

    private final String smpClass;
    private final String segnetType;
    private final String preset;

    SmpArchitecture(String smpClass, String segnetType, String preset) {
        this.smpClass = smpClass;
        this.segnetType = segnetType;
        this.preset = preset;
    }

    /** smp's class name, e.g. {@code UnetPlusPlus}. */
    public String smpClass() {
        return smpClass;
    }

    /** segnet's architecture tag, e.g. {@code unetplusplus}. */
    public String segnetType() {
        return segnetType;
    }

    /** The segnet preset that builds the smp-compatible config, e.g. {@code UNetConfig.smp}. */
    public String preset() {
        return preset;
    }

    /**
     * The architecture of a segnet config.
     *
     * @throws IllegalArgumentException for an architecture smp has no importable counterpart of
     */
    public static SmpArchitecture of(ModelConfig config) {
        for (SmpArchitecture a : values()) {
            if (a.segnetType.equals(config.typeName())) {
                return a;
            }
        }
        throw new IllegalArgumentException("segnet's " + config.typeName() + " has no segmentation_models_pytorch"
                + " counterpart whose state_dict imports; whole models import for unet, unetplusplus, pspnet and"
                + " deeplabv3plus");
    }

    /**
     * The architecture by name: smp's class name or segnet's tag, case, '-', '_' and '+' ignored ({@code unet++}
     * and {@code deeplabv3+} included).
     *
     * @throws IllegalArgumentException for another name, listing the known ones
     */
    public static SmpArchitecture named(String name) {
        String key = name.toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "").replace("++", "plusplus")
                .replace("+", "plus");
        for (SmpArchitecture a : values()) {
            if (key.equals(a.segnetType) || key.equals(a.smpClass.toLowerCase(java.util.Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown smp architecture '" + name + "'; whole models import for Unet,"
                + " UnetPlusPlus, PSPNet and DeepLabV3Plus (segnet: unet, unetplusplus, pspnet, deeplabv3plus)");
    }

    /**
     * The smp architecture whose state_dict {@code keys} are (under any wrapper prefix), recognised by its decoder's
     * keys.
     *
     * @throws IllegalArgumentException if the keys are not those of one of the four, saying what they look like
     *                                  (an encoder alone, torchvision's FCN or DeepLabV3, smp's DeepLabV3, ...)
     */
    public static SmpArchitecture detect(Set<String> keys) {
        if (any(keys, "decoder.blocks.x_0_0.")) {
            return UNET_PLUS_PLUS;
        }
        if (any(keys, "decoder.blocks.0.conv1.")) {
            return UNET;
        }
        if (any(keys, "decoder.psp.blocks.")) {
            return PSPNET;
        }
        if (any(keys, "decoder.aspp.0.convs.") && any(keys, "decoder.block1.")) {
            return DEEPLABV3PLUS;
        }
        String what;
        if (any(keys, "decoder.0.convs.")) {
            what = "smp's DeepLabV3 (segnet has DeepLabv3+ only)";
        } else if (any(keys, "backbone.") && any(keys, "classifier.")) {
            what = "torchvision's fcn_resnet / deeplabv3_resnet, which TorchvisionSegmentationWeights imports (segnet"
                    + " import reads both kinds)";
        } else if (any(keys, "conv1.weight") && !any(keys, "decoder.")) {
            what = "an encoder alone (a torchvision or timm ResNet); load it as encoder weights";
        } else if (any(keys, "features.0.weight")) {
            what = "a VGG encoder alone; load it as encoder weights";
        } else if (any(keys, "decoder.")) {
            what = "an smp model of another architecture or encoder";
        } else {
            what = "no segmentation model segnet knows";
        }
        throw new IllegalArgumentException("the checkpoint is " + what + "; whole models import from smp's Unet,"
                + " UnetPlusPlus, PSPNet and DeepLabV3Plus on ResNet-18/34/50 encoders");
    }

    private static boolean any(Set<String> keys, String part) {
        for (String k : keys) {
            if (k.startsWith(part) || k.contains("." + part)) {
                return true;
            }
        }
        return false;
    }
}
