package io.segnet.models;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.segnet.common.json.JsonMappers;

/**
 * The complete description of a segmentation architecture: an immutable record, validated when constructed (a bad
 * value fails with a message that says what to set), serialised with Jackson under a {@code type} tag
 * ({@code "fcn"}, {@code "unet"}, {@code "unetplusplus"}, {@code "segnet"}, {@code "pspnet"},
 * {@code "deeplabv3plus"}; encoders nest under their own tag). {@link SegmentationModels#create(ModelConfig)} builds
 * the model; a saved model carries its config.
 *
 * <p>Each implementation names its tag with {@code @JsonTypeName}, and {@link ArchitectureTypes} lists the
 * implementations for Jackson, so this interface does not name them.
 *
 * <p>Every config has the image channels and classes, the input size the graph is built (and shape-checked) for, and
 * the loss. Models run on any input size that {@link #inputSizeRule()} accepts, not only the build size.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface ModelConfig {

    /** Channels of the input images (1 for grayscale, 3 for RGB). */
    int inChannels();

    /** Number of classes, i.e. logit channels (1: a binary model with a sigmoid/BCE output). */
    int numClasses();

    /** Input height the graph is built for. */
    int inputHeight();

    /** Input width the graph is built for. */
    int inputWidth();

    /** The training loss of every output. */
    LossConfig loss();

    /** Input sizes this architecture accepts. */
    @JsonIgnore
    InputSizeRule inputSizeRule();

    /**
     * This config built for another input size.
     *
     * @throws IllegalArgumentException if the architecture does not accept that size (the message names the size to
     *                                  pad to)
     */
    ModelConfig withInputSize(int height, int width);

    /** Builds the graph configuration for this config (no parameters are allocated). */
    ModelGraph buildGraph(Training training);

    /** The config's {@code type} tag, e.g. {@code "unet"}. */
    @JsonIgnore
    default String typeName() {
        return JsonMappers.typeName(this);
    }

    /** This config as indented JSON with its type tag. */
    default String toJson() {
        return JsonMappers.write(this);
    }

    /**
     * Reads a config from JSON.
     *
     * @throws IllegalArgumentException if the JSON is malformed, has an unknown type tag or field, or describes an
     *                                  invalid config (the message says which and what to change)
     */
    static ModelConfig fromJson(String json) {
        return JsonMappers.read(json, ModelConfig.class);
    }
}
