package io.segnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModels;
import io.segnet.train.ConfigFiles;
import io.segnet.train.TrainerConfig;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A training run's settings, the layout of {@code segnet train --config FILE} and of the {@code config.yaml} a run
 * writes:
 * <pre>
 * data:    {type: m2nist, train: 4000, ...}          # {@link DataSpec}
 * model:   {name: unet}                              # an architecture name with its defaults, or
 *          {type: unet, encoder: {...}, ...}         # a complete model config (segnet-models' JSON form)
 * trainer: {epochs: 10, batchSize: 8, ...}           # {@link TrainerConfig}
 * </pre>
 * A section that is left out takes the defaults; within {@code data} and {@code trainer} each field left out does.
 * The {@code model} section is taken whole. A name-only model is built for the data's channels, classes and image
 * (or crop) size; besides the architectures of {@code SegmentationModels}, {@code quickstart} names the quickstart's
 * small U-Net ({@link SegmentationModels#quickstart}).
 *
 * @param data    the data
 * @param model   the model section as given (a {@code name} or a full config with {@code type})
 * @param trainer the trainer settings
 */
public record RunSpec(DataSpec data, JsonNode model, TrainerConfig trainer) {

    /** Requires every part and a usable model section. */
    public RunSpec {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(trainer, "trainer");
        if (!model.isObject() || (model.has("type") == model.has("name"))) {
            throw new IllegalArgumentException("the model section needs either a name (e.g. {name: unet}; known: "
                    + SegmentationModels.names() + ") or a complete config with a type tag, not both");
        }
    }

    /** The defaults: M2NIST data, the quickstart model ({@code name: quickstart}), the trainer defaults. */
    public static RunSpec defaults() {
        return new RunSpec(DataSpec.m2nist(), ConfigFiles.JSON.createObjectNode().put("name", "quickstart"),
                TrainerConfig.defaults());
    }

    /** A model section naming an architecture. */
    public static JsonNode modelNamed(String name) {
        return ConfigFiles.JSON.createObjectNode().put("name", name);
    }

    /**
     * The settings in {@code file} (may be null) laid over the defaults, then {@code overrides} (from flags) over
     * those.
     *
     * @throws UsageException naming the file or flag and the problem
     */
    public static RunSpec load(Path file, ObjectNode overrides) {
        JsonNode base = ConfigFiles.tree(defaults());
        String source = "command-line flags";
        JsonNode merged = base;
        if (file != null) {
            JsonNode fromFile;
            try {
                fromFile = ConfigFiles.readTree(file);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
            merged = mergeRun(merged, fromFile);
            source = file + " and command-line flags";
        }
        merged = mergeRun(merged, overrides);
        try {
            return ConfigFiles.convert(merged, RunSpec.class, source);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** Merges two run trees: data and trainer field by field, model whole. */
    private static JsonNode mergeRun(JsonNode base, JsonNode over) {
        if (over == null || over.isEmpty()) {
            return base;
        }
        ObjectNode out = (ObjectNode) ConfigFiles.merge(base, over);
        JsonNode trainer = over.get("trainer");
        if (trainer != null && trainer.isObject() && out.get("trainer") instanceof ObjectNode t) {
            // a run length given in one unit replaces the other unit's (default or file) value
            if (trainer.has("iterations") && !trainer.has("epochs")) {
                t.put("epochs", 0);
            } else if (trainer.has("epochs") && !trainer.has("iterations")) {
                t.put("iterations", 0);
            }
        }
        if (over.has("model")) {
            out.set("model", over.get("model").deepCopy());
        }
        return out;
    }

    /**
     * The model config for data of {@code channels x height x width} with {@code classes} classes: the named
     * architecture's defaults, or the complete config given (its build size set to the data's).
     *
     * @throws UsageException if the name is unknown or the config invalid
     */
    public ModelConfig modelConfig(int channels, int classes, int height, int width) {
        try {
            if (model.has("name")) {
                String name = model.get("name").asText();
                if (model.size() > 1) {
                    throw new IllegalArgumentException("a model given by name takes no other settings (got "
                            + model + "); give a complete config with a type tag to change them");
                }
                if (name.equalsIgnoreCase("quickstart")) {
                    return SegmentationModels.quickstart(channels, classes, height, width);
                }
                ModelConfig c = SegmentationModels.config(name, channels, classes, 256, 256);
                return c.withInputSize((int) c.inputSizeRule().padTo(height), (int) c.inputSizeRule().padTo(width));
            }
            ModelConfig c = ConfigFiles.convert(model, ModelConfig.class, "the model section");
            if (c.inChannels() != channels || c.numClasses() != classes && !(c.numClasses() == 1 && classes == 2)) {
                throw new IllegalArgumentException("the model config takes " + c.inChannels() + " channel(s) and "
                        + c.numClasses() + " classes but the data has " + channels + " and " + classes);
            }
            int h = (int) c.inputSizeRule().padTo(height);
            int w = (int) c.inputSizeRule().padTo(width);
            return c.inputHeight() == h && c.inputWidth() == w ? c : c.withInputSize(h, w);
        } catch (IllegalArgumentException e) {
            throw new UsageException("model: " + e.getMessage(), e);
        }
    }
}
