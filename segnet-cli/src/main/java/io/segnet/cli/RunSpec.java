package io.segnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModels;
import io.segnet.models.encoder.EncoderConfig;
import io.segnet.models.weights.EncoderWeights;
import io.segnet.train.ConfigFiles;
import io.segnet.train.TrainerConfig;

import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A training run's settings, the layout of {@code segnet train --config FILE} and of the {@code config.yaml} a run
 * writes:
 * <pre>
 * data:    {type: m2nist, train: 4000, ...}          # {@link DataSpec}
 * model:   {name: unet}                              # an architecture name with its defaults, or
 *          {name: unet, encoder: resnet34}           # ... with another encoder (a name or an encoder config), or
 *          {type: unet, encoder: {...}, ...}         # a complete model config (segnet-models' JSON form)
 *          loss: {diceWeight: 0.5, classWeights: auto} # optional with any of them: laid over the model's loss
 *                                                    # (LossConfig fields; classWeights: auto = median frequency)
 *          encoderWeights: resnet34.pth              # optional with any of them: a PyTorch checkpoint for the encoder
 * trainer: {epochs: 10, batchSize: 8, ...}           # {@link TrainerConfig}
 * </pre>
 * A section that is left out takes the defaults; within {@code data} and {@code trainer} each field left out does.
 * The {@code model} section is taken whole, except that a section with only {@code encoder} and/or
 * {@code encoderWeights} (e.g. from the flags {@code --encoder}, {@code --encoder-weights}) is laid over the one
 * below it. With {@code encoderWeights}, the data are normalised with ImageNet's mean and std (the weights'
 * convention) unless {@code data.mean}/{@code data.std} are given in the file or by flag; with {@code --init MODEL}, the
 * model's own normalisation is used likewise. A name-only model is built for the data's channels, classes and image
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
            if (model.isObject() && !model.has("type") && !model.has("name")) {
                throw new IllegalArgumentException("model.encoder / model.encoderWeights (--encoder,"
                        + " --encoder-weights) need an architecture: add a name (e.g. {name: unet}, --model unet;"
                        + " known: " + SegmentationModels.names() + ")");
            }
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
        return load(file, overrides, null);
    }

    /**
     * As {@link #load(Path, ObjectNode)}; when neither the file nor the flags give a normalisation (and the model
     * section has no {@code encoderWeights}), {@code fallback} is used if it is not null: the normalisation of the
     * model that {@code --init} starts from, which its weights expect.
     */
    public static RunSpec load(Path file, ObjectNode overrides, io.segnet.inference.Preprocessing fallback) {
        JsonNode base = ConfigFiles.tree(defaults());
        String source = "command-line flags";
        JsonNode merged = base;
        JsonNode fromFile = null;
        if (file != null) {
            try {
                fromFile = ConfigFiles.readTree(file);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
            merged = mergeRun(merged, fromFile);
            source = file + " and command-line flags";
        }
        merged = mergeRun(merged, overrides);
        if (folderDataImplied(fromFile, overrides)) {
            ((ObjectNode) merged.get("data")).put("type", "folder");
        }
        if (merged.path("model").has(ENCODER_WEIGHTS) && !normalisationGiven(fromFile, overrides)) {
            ObjectNode data = (ObjectNode) merged.get("data");
            data.set("mean", ConfigFiles.JSON.valueToTree(EncoderWeightsImport.IMAGENET.mean()));
            data.set("std", ConfigFiles.JSON.valueToTree(EncoderWeightsImport.IMAGENET.std()));
        } else if (fallback != null && !normalisationGiven(fromFile, overrides)) {
            ObjectNode data = (ObjectNode) merged.get("data");
            data.set("mean", ConfigFiles.JSON.valueToTree(fallback.mean()));
            data.set("std", ConfigFiles.JSON.valueToTree(fallback.std()));
        }
        try {
            return ConfigFiles.convert(merged, RunSpec.class, source);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** The key of the encoder weights file in the model section. */
    static final String ENCODER_WEIGHTS = "encoderWeights";

    /**
     * Merges two run trees: data and trainer field by field, model whole (or field by field when the model over it
     * names neither a {@code name} nor a {@code type}: only {@code encoder}, {@code encoderWeights}).
     */
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
        JsonNode model = over.get("model");
        if (model != null && (model.has("name") || model.has("type") || !base.path("model").isObject())) {
            out.set("model", model.deepCopy());
        }
        return out;
    }

    /**
     * Whether folder data is meant without being named: neither the file nor the flags give {@code data.type}, and
     * one of them gives the training images or masks ({@code --images}, {@code --masks}), which only folder data
     * takes. Without this, the default type (M2NIST) would train while the folders given were ignored.
     */
    private static boolean folderDataImplied(JsonNode fromFile, JsonNode overrides) {
        JsonNode fileData = fromFile == null ? null : fromFile.get("data");
        JsonNode flagData = overrides == null ? null : overrides.get("data");
        boolean typed = fileData != null && fileData.hasNonNull("type")
                || flagData != null && flagData.hasNonNull("type");
        boolean folders = Stream.of(fileData, flagData).anyMatch(d -> d != null && (d.hasNonNull("images")
                || d.hasNonNull("masks")));
        return !typed && folders;
    }

    /** Whether the file's data section or the flags set the normalisation. */
    private static boolean normalisationGiven(JsonNode fromFile, JsonNode overrides) {
        JsonNode fileData = fromFile == null ? null : fromFile.get("data");
        if (fileData != null && (fileData.has("mean") || fileData.has("std"))) {
            return true;
        }
        JsonNode flagData = overrides == null ? null : overrides.get("data");
        return flagData != null && (flagData.path("mean").size() > 0 || flagData.path("std").size() > 0);
    }

    /** The {@code encoderWeights} file of the model section, or null. */
    public Path encoderWeights() {
        JsonNode w = model.get(ENCODER_WEIGHTS);
        return w == null || w.isNull() ? null : Path.of(w.asText());
    }

    /**
     * The model config for data of {@code channels x height x width} with {@code classes} classes: the named
     * architecture's defaults, or the complete config given (its build size set to the data's).
     *
     * @throws UsageException if the name is unknown or the config invalid
     */
    public ModelConfig modelConfig(int channels, int classes, int height, int width) {
        try {
            ObjectNode section = model.deepCopy();
            section.remove(ENCODER_WEIGHTS);
            if (section.has("name")) {
                String name = section.get("name").asText();
                JsonNode encoder = section.remove("encoder");
                JsonNode loss = section.remove("loss");
                checkClassWeights(loss, classes);
                if (section.size() > 1) {
                    throw new IllegalArgumentException("a model given by name takes only an encoder, a loss (and"
                            + " encoderWeights) besides (got " + model + "); give a complete config with a type tag to"
                            + " change the rest");
                }
                if (name.equalsIgnoreCase("quickstart")) {
                    if (encoder != null) {
                        throw new IllegalArgumentException("the quickstart model has its own small encoder; choose an"
                                + " architecture for the encoder " + encoder + " (e.g. --model unet)");
                    }
                    return withLoss(SegmentationModels.quickstart(channels, classes, height, width), loss);
                }
                ModelConfig c = SegmentationModels.config(name, channels, classes, 256, 256);
                if (encoder != null) {
                    c = EncoderChoice.withEncoder(c, encoder.isTextual()
                            ? EncoderChoice.named(encoder.asText(), EncoderWeights.encoderOf(c))
                            : ConfigFiles.convert(encoder, EncoderConfig.class, "model.encoder", false));
                }
                c = withLoss(c, loss);
                return c.withInputSize((int) c.inputSizeRule().padTo(height), (int) c.inputSizeRule().padTo(width));
            }
            if (section.path("encoder").isTextual()) {
                throw new IllegalArgumentException("a complete model config takes a complete encoder config (e.g."
                        + " {type: resnet, depth: 34, outputStride: 32, width: 64}), not the name '"
                        + section.get("encoder").asText() + "'; encoder names go with a model name ({name: unet,"
                        + " encoder: resnet34})");
            }
            if (section.path("numClasses").asInt(classes) != 1) {
                checkClassWeights(section.get("loss"), classes);
            }
            ModelConfig c = ConfigFiles.convert(section, ModelConfig.class, "the model section", false);
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

    /**
     * {@code c} with {@code loss} (a {@code LossConfig} section, possibly partial) laid over its loss field by field;
     * {@code c} itself when {@code loss} is null.
     */
    static ModelConfig withLoss(ModelConfig c, JsonNode loss) {
        if (loss == null || loss.isNull()) {
            return c;
        }
        ObjectNode tree = (ObjectNode) ConfigFiles.tree(c);
        tree.set("loss", ConfigFiles.merge(tree.get("loss"), loss));
        return ConfigFiles.convert(tree, ModelConfig.class, "model.loss");
    }

    /** Requires one class weight per class, naming the flags that set either. */
    private static void checkClassWeights(JsonNode loss, int classes) {
        JsonNode w = loss == null ? null : loss.get("classWeights");
        if (w != null && w.isArray() && w.size() > 0 && w.size() != classes) {
            throw new UsageException("--class-weights (model.loss.classWeights) has " + w.size() + " weights but the"
                    + " data has " + classes + " classes (--num-classes / data.numClasses); give one weight per class"
                    + " or --class-weights auto");
        }
        if (w != null && w.isTextual() && !w.asText().strip().equalsIgnoreCase(LossFlags.AUTO)) {
            throw new UsageException("model.loss.classWeights is '" + w.asText() + "'; give a list with one weight"
                    + " per class or auto");
        }
    }
}
