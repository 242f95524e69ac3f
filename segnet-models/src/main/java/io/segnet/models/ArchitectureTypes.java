package io.segnet.models;

import io.segnet.common.json.NamedSubtypes;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.encoder.Vgg16Config;
import io.segnet.models.fcn.FcnConfig;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.segnet.SegNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;

import java.util.List;

/**
 * Every {@link ModelConfig} and {@link io.segnet.models.encoder.EncoderConfig} implementation, registered with
 * segnet's Jackson mappers ({@link io.segnet.common.json.JsonMappers}) through
 * {@code META-INF/services/io.segnet.common.json.NamedSubtypes}. Each carries its {@code type} tag as
 * {@code @JsonTypeName}: {@code fcn}, {@code unet}, {@code unetplusplus}, {@code segnet}, {@code pspnet},
 * {@code deeplabv3plus}; encoders {@code vgg16}, {@code resnet}, {@code small}. A new architecture is added here.
 */
public final class ArchitectureTypes implements NamedSubtypes {

    /** Used by {@link java.util.ServiceLoader}. */
    public ArchitectureTypes() {
    }

    @Override
    public List<Class<?>> subtypes() {
        return List.of(FcnConfig.class, UNetConfig.class, UNetPlusPlusConfig.class, SegNetConfig.class,
                PSPNetConfig.class, DeepLabV3PlusConfig.class, Vgg16Config.class, ResNetConfig.class,
                SmallEncoderConfig.class);
    }
}
