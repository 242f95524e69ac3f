package io.segnet.cli;

import io.segnet.models.ModelConfig;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.EncoderConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.encoder.Vgg16Config;
import io.segnet.models.fcn.FcnConfig;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.segnet.SegNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;

import java.util.List;
import java.util.Locale;

/**
 * {@code segnet train --encoder NAME} ({@code model.encoder} of a model given by name): the encoder of an
 * architecture's defaults replaced by {@code small}, {@code vgg16}, {@code vgg16bn}, {@code resnet18},
 * {@code resnet34} or {@code resnet50} at full width (64), torchvision's layout, so that torchvision's and smp's
 * ImageNet weights fit. A ResNet keeps the output stride of the architecture's own ResNet (PSPNet 8, DeepLabv3+ 16),
 * else 32; {@code small} keeps the architecture's small encoder, else is the classic U-Net's (width 64, depth 4).
 */
final class EncoderChoice {

    /** The names {@link #named} knows. */
    static final List<String> NAMES = List.of("small", "vgg16", "vgg16bn", "resnet18", "resnet34", "resnet50");

    private EncoderChoice() {
    }

    /**
     * The encoder called {@code name} (case, '-' and '_' ignored) in place of {@code current}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    static EncoderConfig named(String name, EncoderConfig current) {
        String key = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return switch (key) {
            case "small" -> current instanceof SmallEncoderConfig s ? s : new SmallEncoderConfig(64, 4, true);
            case "vgg16" -> new Vgg16Config(64, false);
            case "vgg16bn" -> new Vgg16Config(64, true);
            case "resnet18", "resnet34", "resnet50" -> new ResNetConfig(Integer.parseInt(key.substring(6)),
                    current instanceof ResNetConfig r ? r.outputStride() : 32, 64,
                    current instanceof ResNetConfig r ? r.dilation() : ResNetConfig.Dilation.TORCHVISION);
            default -> throw new IllegalArgumentException("unknown encoder '" + name + "'; use one of " + NAMES);
        };
    }

    /**
     * {@code config} with {@code encoder} (the decoder sized for it by the architecture's default rule).
     *
     * @throws IllegalArgumentException if the architecture does not take that encoder (the message says why)
     */
    static ModelConfig withEncoder(ModelConfig config, EncoderConfig encoder) {
        if (config instanceof UNetConfig c) {
            return c.withEncoder(encoder);
        } else if (config instanceof UNetPlusPlusConfig c) {
            return c.withEncoder(encoder);
        } else if (config instanceof DeepLabV3PlusConfig c) {
            return c.withEncoder(encoder);
        } else if (config instanceof PSPNetConfig c) {
            return c.withEncoder(encoder);
        } else if (config instanceof FcnConfig c) {
            return c.withEncoder(encoder);
        } else if (config instanceof SegNetConfig c) {
            return c.withEncoder(encoder);
        }
        throw new IllegalArgumentException("a " + config.typeName() + " model has no encoder to choose");
    }
}
