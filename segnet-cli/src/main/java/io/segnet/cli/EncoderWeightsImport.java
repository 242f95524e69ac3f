package io.segnet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.common.io.AtomicFiles;
import io.segnet.inference.Preprocessing;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Training;
import io.segnet.models.weights.EncoderWeights;
import io.segnet.models.weights.ImportReport;
import io.segnet.models.weights.StateDict;
import io.segnet.train.ConfigFiles;
import io.segnet.train.TrainerConfig;
import io.segnet.train.checkpoint.RunDirectory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code segnet train --encoder-weights FILE} ({@code model.encoderWeights}): a new model whose encoder starts from a
 * PyTorch checkpoint (torchvision, smp, timm, Lightning; see {@link EncoderWeights}) and whose decoder and head start
 * from the seed's initialisation. The import report (keys used, dropped, unexpected, missing) is printed and written
 * to the run folder as {@value #REPORT}.
 *
 * <p>The weights' convention is ImageNet's normalisation ({@link #IMAGENET}: torchvision's and smp's ResNet and VGG
 * weights were all trained on it, on RGB images in [0, 1]); {@code segnet train} uses it unless the data section or
 * {@code --mean}/{@code --std} give one.
 */
final class EncoderWeightsImport {

    /** The report's file in the run folder. */
    static final String REPORT = "encoder-weights.json";

    /** ImageNet's per-channel mean and standard deviation of RGB images in [0, 1]. */
    static final Preprocessing IMAGENET = new Preprocessing(List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225));

    private EncoderWeightsImport() {
    }

    /**
     * A new model of {@code config}, initialised from the trainer's seed, with its encoder loaded from
     * {@code weights}; says what it did on {@code out} and in {@value #REPORT}.
     *
     * @throws UsageException if the file does not fit the encoder (the message names the key, the shapes and what
     *                        to change)
     */
    static SegmentationModel create(ModelConfig config, TrainerConfig trainer, Path weights, RunDirectory run,
                                    PrintWriter out) throws IOException {
        long start = System.nanoTime();
        StateDict dict;
        try {
            dict = StateDict.read(weights);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--encoder-weights " + weights + ": " + e.getMessage(), e);
        }
        SegmentationModel model = SegmentationModels.create(config,
                new Training(trainer.updater(1), trainer.weightDecay(), trainer.seed()));
        ImportReport report;
        try {
            report = EncoderWeights.load(model, dict);
        } catch (IllegalArgumentException e) {
            String hint = e.getMessage().contains("-channel images") ? "; grey images are read as RGB with"
                    + " --image-channels 3 (data.imageChannels: 3 for folder data)" : "";
            throw new UsageException("--encoder-weights " + weights + ": " + e.getMessage() + hint, e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "encoder weights %s (%s): %s (%.1f s); written to %s%n", weights, dict.format(),
                report.summary(), seconds, REPORT);
        ObjectNode json = ConfigFiles.JSON.createObjectNode();
        json.put("file", weights.toAbsolutePath().toString());
        json.put("format", dict.format().toString());
        json.set("encoder", ConfigFiles.tree(EncoderWeights.encoderOf(config)));
        json.put("seconds", Math.round(seconds * 1000) / 1000.0);
        json.set("report", ConfigFiles.tree(report));
        AtomicFiles.writeString(run.resolve(REPORT), true, ConfigFiles.toJson(json) + "\n");
        out.flush();
        return model;
    }

    /** The line that says which normalisation a run with imported encoder weights uses. */
    static String normalisationLine(Preprocessing used) {
        if (used.equals(IMAGENET)) {
            return "normalisation: ImageNet's mean " + IMAGENET.mean() + ", std " + IMAGENET.std() + " (the encoder"
                    + " weights' convention; --mean/--std or data.mean/std set another)";
        }
        return "normalisation: " + (used.isNone() ? "none" : "mean " + used.mean() + ", std " + used.std())
                + " as given; note that torchvision's and smp's ImageNet weights expect mean " + IMAGENET.mean()
                + ", std " + IMAGENET.std();
    }
}
