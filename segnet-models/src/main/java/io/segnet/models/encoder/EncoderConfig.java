package io.segnet.models.encoder;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.segnet.common.json.JsonMappers;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;

/**
 * An encoder's description, serialised under a {@code type} tag: {@code "vgg16"} ({@link Vgg16Config}),
 * {@code "resnet"} ({@link ResNetConfig}: 18, 34, 50, output stride 32/16/8) or {@code "small"}
 * ({@link SmallEncoderConfig}: configurable width and depth for CPU work). Each implementation names its tag with
 * {@code @JsonTypeName}; {@link io.segnet.models.ArchitectureTypes} lists them for Jackson.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface EncoderConfig {

    /**
     * Adds the encoder's layers under {@code scope}, applied to {@code input}, building only what the first
     * {@code levels} feature maps need (a shallower encoder for a pruned decoder).
     *
     * @param levels number of feature maps to build, 1 to {@link #levels()}
     */
    EncoderFeatures build(GraphScope scope, Node input, int levels);

    /** Adds the whole encoder. */
    default EncoderFeatures build(GraphScope scope, Node input) {
        return build(scope, input, levels());
    }

    /** Number of feature maps the whole encoder yields (including the stride-1 one). */
    @JsonIgnore
    int levels();

    /** Stride of the deepest feature map. */
    int outputStride();

    /** True if every downsampling is a max pooling (needed by SegNet's unpooling decoder). */
    @JsonIgnore
    boolean poolsOnly();

    /** The {@code type} tag, e.g. {@code "resnet"}. */
    @JsonIgnore
    default String typeName() {
        return JsonMappers.typeName(this);
    }

    /** Throws unless {@code 1 <= levels <= levels()}. */
    default void checkLevels(int levels) {
        if (levels < 1 || levels > levels()) {
            throw new IllegalArgumentException(typeName() + " encoder: can build 1 to " + levels() + " feature maps,"
                    + " asked for " + levels);
        }
    }
}
