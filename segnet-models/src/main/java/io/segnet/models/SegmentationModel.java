package io.segnet.models;

import io.segnet.common.io.AtomicFiles;
import io.segnet.common.json.JsonMappers;
import io.segnet.core.runtime.ActivationLiveness;
import io.segnet.core.runtime.GradientBuffers;
import io.segnet.core.runtime.GraphInference;
import io.segnet.core.runtime.NativeHeap;
import io.segnet.models.io.CorruptModelFileException;
import io.segnet.models.io.ModelArchive;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A segmentation model: a DL4J {@link ComputationGraph} built from a {@link ModelConfig}, with its model card.
 *
 * <p>Shapes: images {@code [N, inChannels, H, W]} (float; any size the config's {@link InputSizeRule} accepts), logits
 * {@code [N, numClasses, H, W]}, labels and predicted class maps {@code [N, 1, H, W]} of class ids (label pixels equal
 * to the loss's ignore index, 255 by default, are left out of the loss).
 *
 * <p>A saved model is one zip file ({@link ModelArchive}): DL4J's entries (graph configuration, parameters,
 * optimiser state) plus {@value #CONFIG_ENTRY} (the config, with its type tag) and {@value #CARD_ENTRY} (the
 * {@link ModelCard}). Saving writes a temporary file next to the target and moves it into place, so a crash never
 * leaves a half-written model; an existing file is only replaced when asked.
 */
public final class SegmentationModel {
    /** Zip entry holding the config JSON. */
    public static final String CONFIG_ENTRY = "config.json";
    /** Zip entry holding the model card JSON. */
    public static final String CARD_ENTRY = "model-card.json";

    static {
        // Before the first model allocates: large native buffers mapped on their own (see NativeHeap.configure).
        NativeHeap.configure();
    }

    private final ModelConfig config;
    private final ModelGraph plan;
    private final ComputationGraph graph;
    private ModelCard card;
    /** Batch norms folded into convolutions ({@link #foldedForInference()}); empty for a trainable model. */
    private final Map<String, String> foldedBatchNorms;

    SegmentationModel(ModelConfig config, ModelGraph plan, ComputationGraph graph, ModelCard card) {
        this(config, plan, graph, card, Map.of());
    }

    private SegmentationModel(ModelConfig config, ModelGraph plan, ComputationGraph graph, ModelCard card,
                              Map<String, String> foldedBatchNorms) {
        this.config = Objects.requireNonNull(config, "config");
        this.plan = Objects.requireNonNull(plan, "plan");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.card = Objects.requireNonNull(card, "card");
        this.foldedBatchNorms = foldedBatchNorms;
    }

    /**
     * A copy of this model for inference, with every batch norm that directly follows a convolution folded into it
     * ({@link BatchNormFolding}): the same logits to float rounding, one pass over each such activation less, and no
     * batch-norm buffers. The copy shares no parameters with this model; it predicts and evaluates, but cannot be
     * trained or saved (load the file again for that). A model without such batch norms is returned as it is.
     */
    public SegmentationModel foldedForInference() {
        if (isFoldedForInference()) {
            return this;
        }
        BatchNormFolding.Result r = BatchNormFolding.fold(graph);
        if (r.folded() == 0) {
            return this;
        }
        return new SegmentationModel(config, plan, r.graph(), card, r.foldedInto());
    }

    /**
     * {@link #foldedForInference()} for a caller that only runs the model: when folding made a copy, this model's
     * parameters (and any optimiser state) are freed at once instead of when the garbage collector gets to them, so a
     * loaded model's memory is not held twice ({@code segnet predict}, {@code evaluate}, the Spark executors). This
     * model must not be used afterwards.
     */
    public SegmentationModel toInference() {
        SegmentationModel folded = foldedForInference();
        if (folded != this) {
            graph.close();
        }
        return folded;
    }

    /** Whether this is an inference copy with batch norm folded ({@link #foldedForInference()}). */
    public boolean isFoldedForInference() {
        return !foldedBatchNorms.isEmpty();
    }

    /** The batch norms folded into convolutions (batch norm name to convolution name); empty if none. */
    public Map<String, String> foldedBatchNorms() {
        return foldedBatchNorms;
    }

    private void requireTrainable(String what) {
        if (isFoldedForInference()) {
            throw new IllegalStateException("cannot " + what + " a model folded for inference (" + foldedBatchNorms
                    .size() + " batch norms are merged into convolutions); load the model file again for that");
        }
    }

    /** The config the model was built from. */
    public ModelConfig config() {
        return config;
    }

    /** The underlying graph (for training loops, listeners, evaluation). */
    public ComputationGraph graph() {
        return graph;
    }

    /** The model card saved with the model. */
    public ModelCard card() {
        return card;
    }

    /** Replaces the model card (e.g. to record the data fingerprint or metrics before saving); returns this model. */
    public SegmentationModel setCard(ModelCard newCard) {
        this.card = Objects.requireNonNull(newCard, "card");
        return this;
    }

    /** Names of the outputs averaged into the logits. */
    public List<String> logitOutputs() {
        return plan.logits();
    }

    /** Names of all outputs, logits first then auxiliary ones (the label arrays of a training step follow it). */
    public List<String> outputs() {
        return plan.outputs();
    }

    /** Trainable parameters (PyTorch's count for the same architecture). */
    public long parameterCount() {
        return summary().parameters();
    }

    /**
     * Logits {@code [N, numClasses, H, W]} of {@code images} in inference mode (batch norm uses its running
     * statistics); the mean of the logits outputs where there are several (UNet++ with deep supervision).
     *
     * @throws IllegalArgumentException if the images are not {@code [N, inChannels, H, W]} with an accepted size
     */
    public INDArray logits(INDArray images) {
        INDArray x = checkImages(images);
        INDArray[] out = GraphInference.output(graph, plan.logits(), x);
        INDArray mean = out[0];
        for (int i = 1; i < out.length; i++) {
            mean.addi(out[i]);
            recycle(out[i]);
        }
        return out.length == 1 ? mean : mean.divi(out.length);
    }

    /**
     * Gives logits that {@link #logits} returned back once they have been read: the next call writes into the same
     * memory instead of fresh pages (fresh pages cost a page fault each; for FCN-8s at 256x256 that was a tenth of the
     * pass), and any other array is closed. The array must not be used afterwards. Optional: logits that are not given
     * back are freed when the garbage collector finds them.
     */
    public void recycle(INDArray logits) {
        if (!GraphInference.recycle(graph, logits)[0] && logits.closeable()) {
            logits.close();
        }
    }

    /**
     * Predicted class maps {@code [N, 1, H, W]} (INT32): the arg-max class per pixel, or for a one-class model 1 where
     * the logit is positive.
     */
    public INDArray predict(INDArray images) {
        INDArray z = logits(images);
        long[] s = z.shape();
        if (s[1] == 1) {
            return z.gt(0.0).castTo(DataType.INT32);
        }
        return Nd4j.argMax(z, 1).reshape(s[0], 1, s[2], s[3]).castTo(DataType.INT32);
    }

    /**
     * One training step (forward, loss, backward, optimiser update) on a batch; returns the batch's loss before the
     * update (the sum over outputs of each output's weighted loss), without the weight-decay penalty that DL4J adds to
     * its score ({@code 0.5 coeff ||w||^2}; decoupled weight decay is a step of the optimiser, not a term of the loss,
     * as in PyTorch's AdamW, and a logged loss should not change with it). Activation gradients live in the memory of
     * activations the backward pass no longer reads, or in buffers that stay with this thread for the next step
     * ({@link ActivationLiveness}, {@link GradientBuffers}).
     */
    public double fit(INDArray images, INDArray labels) {
        requireTrainable("train");
        MultiDataSet batch = dataSet(images, labels);
        double penalty = graph.calcRegularizationScore(true); // of the weights the score is computed with
        ActivationLiveness.during(graph, () -> graph.fit(batch));
        return graph.score() - penalty;
    }

    /** The loss of a batch in inference mode, without updating anything (and without the weight-decay penalty). */
    public double loss(INDArray images, INDArray labels) {
        return graph.score(dataSet(images, labels), false) - graph.calcRegularizationScore(true);
    }

    /**
     * The batch as a DL4J {@link MultiDataSet}: the images, and the labels once per output (auxiliary and
     * deep-supervision outputs are trained against the same label map).
     */
    public MultiDataSet dataSet(INDArray images, INDArray labels) {
        INDArray x = checkImages(images);
        Objects.requireNonNull(labels, "labels");
        if (labels.rank() != 4 || labels.size(0) != x.size(0) || labels.size(1) != 1 || labels.size(2) != x.size(2)
                || labels.size(3) != x.size(3)) {
            throw new IllegalArgumentException("labels must be a class map [N, 1, H, W] = [" + x.size(0) + ", 1, "
                    + x.size(2) + ", " + x.size(3) + "] matching the images, got " + Arrays.toString(labels.shape()));
        }
        INDArray y = labels.dataType() == DataType.FLOAT ? labels : labels.castTo(DataType.FLOAT);
        INDArray[] ys = new INDArray[plan.outputs().size()];
        Arrays.fill(ys, y);
        return new MultiDataSet(new INDArray[]{x}, ys);
    }

    private INDArray checkImages(INDArray images) {
        Objects.requireNonNull(images, "images");
        if (images.rank() != 4 || images.size(1) != config.inChannels()) {
            throw new IllegalArgumentException("images must be [N, " + config.inChannels() + ", H, W] (NCHW, "
                    + config.inChannels() + " channel(s)), got " + Arrays.toString(images.shape())
                    + (images.rank() == 4 && images.size(3) == config.inChannels() ? "; this looks like NHWC data,"
                    + " permute it to NCHW" : ""));
        }
        config.inputSizeRule().check(config.typeName(), images.size(2), images.size(3));
        return images.dataType() == DataType.FLOAT ? images : images.castTo(DataType.FLOAT);
    }

    /** Layers, shapes, parameters and FLOPs at the build size. */
    public ModelSummary summary() {
        return summary(config.inputHeight(), config.inputWidth());
    }

    /** Layers, shapes, parameters and FLOPs at {@code height x width} (which the config must accept). */
    public ModelSummary summary(int height, int width) {
        config.inputSizeRule().check(config.typeName(), height, width);
        // A folded copy reports the architecture it was trained as (batch norms and all), as its config does.
        return ModelSummary.of(config.typeName(), isFoldedForInference() ? plan.configuration()
                : graph.getConfiguration(), config.inChannels(), height, width);
    }

    /**
     * Copies, by layer name, every parameter of this model's layers from {@code source} (which must have each of those
     * layers with the same parameter shapes): loading trained weights into a pruned or otherwise related graph.
     */
    public void copyParametersFrom(SegmentationModel source) {
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Layer from = source.graph.getLayer(name);
            if (from == null) {
                throw new IllegalArgumentException("cannot copy parameters: layer '" + name + "' is not in the source"
                        + " model (" + source.config.typeName() + ")");
            }
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                INDArray src = from.getParam(p.getKey());
                if (src == null || !Arrays.equals(src.shape(), p.getValue().shape())) {
                    throw new IllegalArgumentException("cannot copy parameter " + name + "." + p.getKey() + ": shape "
                            + Arrays.toString(p.getValue().shape()) + " here, "
                            + (src == null ? "absent" : Arrays.toString(src.shape())) + " in the source");
                }
                p.getValue().assign(src);
            }
        }
    }

    /** Saves to {@code file}, which must not exist yet. */
    public void save(Path file) throws IOException {
        save(file, false);
    }

    /**
     * Saves the graph (with optimiser state), config and model card to one zip file, atomically.
     *
     * @param overwrite replace an existing file; if false and {@code file} exists, nothing is written
     * @throws FileAlreadyExistsException if the file exists and {@code overwrite} is false
     */
    public void save(Path file, boolean overwrite) throws IOException {
        save(file, overwrite, Map.of(), t -> { });
    }

    /**
     * Saves as {@link #save(Path, boolean)} with more text entries in the same zip (a checkpoint's trainer state),
     * written in the same single pass ({@link ModelArchive}).
     *
     * @param extraEntries entry name to UTF-8 text; names other than {@value #CONFIG_ENTRY}, {@value #CARD_ENTRY} and
     *                     DL4J's
     * @param beforeRename run on the complete temporary file before it is put in place (tests simulate a crash there)
     */
    public void save(Path file, boolean overwrite, Map<String, String> extraEntries,
                     AtomicFiles.BeforeRename beforeRename) throws IOException {
        requireTrainable("save");
        ModelArchive.write(file, overwrite, graph, entries(extraEntries), beforeRename);
    }

    /**
     * Saves the model for inference: parameters, config and model card, without the optimiser state (which a
     * checkpoint keeps to resume training; with Adam it is twice the size of the parameters). The file loads with
     * {@link #load} and predicts, evaluates and fine-tunes ({@code --init}) like a checkpoint; it cannot resume a run.
     *
     * @param overwrite    replace an existing file; if false and {@code file} exists, nothing is written
     * @param extraEntries entry name to UTF-8 text (e.g. the training metadata that says how to preprocess images);
     *                     names other than {@value #CONFIG_ENTRY}, {@value #CARD_ENTRY} and DL4J's
     * @throws FileAlreadyExistsException if the file exists and {@code overwrite} is false
     */
    public void saveForInference(Path file, boolean overwrite, Map<String, String> extraEntries) throws IOException {
        requireTrainable("save");
        ModelArchive.write(file, overwrite, graph, false, entries(extraEntries), t -> { });
    }

    private Map<String, String> entries(Map<String, String> extraEntries) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(CONFIG_ENTRY, config.toJson());
        entries.put(CARD_ENTRY, JsonMappers.write(card));
        for (Map.Entry<String, String> e : extraEntries.entrySet()) {
            if (entries.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("entry name '" + e.getKey() + "' is the model's own; choose"
                        + " another name");
            }
        }
        return entries;
    }

    /**
     * Loads a model saved by {@link #save}: graph, parameters, optimiser state, config and model card.
     *
     * @throws NoSuchFileException      if the file does not exist
     * @throws io.segnet.models.io.CorruptModelFileException if the file is not a readable zip or an entry does not
     *                                  match its checksum (truncated, damaged)
     * @throws IllegalArgumentException if the file is not a segnet model (the message names the missing entry) or its
     *                                  graph does not match its config
     */
    public static SegmentationModel load(Path file) throws IOException {
        return load(file, true);
    }

    /**
     * Loads a model saved by {@link #save} for inference: as {@link #load}, but without the optimiser state, which
     * prediction and evaluation never use (with Adam it would hold twice the parameters' memory). Such a model
     * predicts exactly like one loaded with {@link #load}; training it starts a fresh optimiser.
     */
    public static SegmentationModel loadForInference(Path file) throws IOException {
        return load(file, false);
    }

    private static SegmentationModel load(Path file, boolean withOptimizerState) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no segnet model file there");
        }
        try {
            ModelArchive.verify(file);
        } catch (CorruptModelFileException e) {
            String hint = pyTorchHint(file, false);
            if (!hint.isEmpty()) {
                throw new IllegalArgumentException(file + " is not a segnet model file (" + e.getMessage() + ")" + hint,
                        e);
            }
            throw e;
        }
        ModelConfig config = ModelConfig.fromJson(readEntry(file, CONFIG_ENTRY));
        ModelCard card = JsonMappers.read(readEntry(file, CARD_ENTRY), ModelCard.class);
        ModelGraph plan = config.buildGraph(Training.defaults().withSeed(card.seed()));
        ComputationGraph graph = ModelArchive.readGraph(file, withOptimizerState);
        PoolingIndices.recordOnlyWhereUnpooled(graph.getConfiguration()); // files from before the setting
        if (!graph.getConfiguration().getNetworkOutputs().equals(plan.outputs())) {
            throw new IllegalArgumentException(file + ": the saved graph's outputs "
                    + graph.getConfiguration().getNetworkOutputs() + " do not match its config's " + plan.outputs()
                    + "; the file was altered or written by an incompatible segnet version");
        }
        long expected = ModelSummary.of(config.typeName(), plan.configuration(), config.inChannels(),
                config.inputHeight(), config.inputWidth()).parameters();
        long actual = ModelSummary.of(config.typeName(), graph.getConfiguration(), config.inChannels(),
                config.inputHeight(), config.inputWidth()).parameters();
        if (expected != actual) {
            throw new IllegalArgumentException(file + ": the saved graph has " + actual + " trainable parameters, its"
                    + " config describes " + expected + "; the file was altered or written by an incompatible segnet"
                    + " version");
        }
        return new SegmentationModel(config, plan, graph, card);
    }

    private static String readEntry(Path file, String name) throws IOException {
        Optional<String> entry = ModelArchive.readEntry(file, name);
        if (entry.isPresent()) {
            return entry.get();
        }
        String hint = pyTorchHint(file, true);
        throw new IllegalArgumentException(file + " is not a segnet model file: it has no '" + name + "' entry"
                + (hint.isEmpty() ? " (a plain DL4J model? load it with ModelSerializer, or save it with"
                + " SegmentationModel.save)" : hint));
    }

    /**
     * "; it is a PyTorch checkpoint ..." when {@code file} is one (a {@code torch.save} zip holds a {@code data.pkl};
     * legacy and safetensors files are told by their name), else "".
     */
    private static String pyTorchHint(Path file, boolean zip) {
        boolean torch = false;
        if (zip) {
            try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
                torch = z.stream().anyMatch(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"));
            } catch (IOException e) {
                torch = false;
            }
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        torch |= name.endsWith(".pth") || name.endsWith(".pt") || name.endsWith(".ckpt") || name.endsWith(".bin")
                || name.endsWith(".safetensors");
        return torch ? "; it is a PyTorch checkpoint: a whole segmentation_models_pytorch model converts into a segnet"
                + " model with SmpWeights (segnet import FILE --output model.zip), an encoder's weights load with"
                + " EncoderWeights (segnet train --encoder-weights FILE)" : "";
    }

    @Override
    public String toString() {
        return "SegmentationModel(" + config.typeName() + ", " + config.inChannels() + " -> " + config.numClasses()
                + " classes, " + graph.numParams() + " parameter values)";
    }
}
