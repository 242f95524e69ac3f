package io.segnet.cli;

import io.segnet.inference.PredictorConfig;
import io.segnet.inference.crf.DenseCrfConfig;
import picocli.CommandLine.Option;

import java.util.List;

/** Sliding-window and test-time-augmentation options of {@code predict} and {@code evaluate}. */
final class PredictorOptions {

    @Option(names = "--tile", paramLabel = "HxW", description = "Sliding-window tile size, e.g. 256x256 (usually the"
            + " training crop); images larger than it are tiled. Default: every image whole.")
    String tile;

    @Option(names = "--overlap", paramLabel = "F", defaultValue = "0.333",
            description = "Share of a tile overlapping its neighbour (default ${DEFAULT-VALUE}).")
    double overlap;

    @Option(names = "--weighting", paramLabel = "W", defaultValue = "cosine",
            description = "Weights of overlapping tiles: cosine or uniform (default ${DEFAULT-VALUE}).")
    String weighting;

    @Option(names = "--flip", description = "Average in the left-right mirror image (test-time augmentation).")
    boolean flip;

    @Option(names = "--vflip", description = "Average in the top-bottom mirror image.")
    boolean vflip;

    @Option(names = "--scales", paramLabel = "S", split = ",", description = "Scales to average, e.g."
            + " 0.75,1,1.25 (default 1).")
    List<Double> scales;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8",
            description = "Tiles or images per network call (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--crf", description = "Refine each image's probabilities with a fully connected CRF"
            + " (DenseCRF: Kraehenbuehl & Koltun 2011) over the image's positions and colours.")
    boolean crf;

    @Option(names = "--crf-iterations", paramLabel = "N", defaultValue = "5",
            description = "DenseCRF mean-field iterations (default ${DEFAULT-VALUE}).")
    int crfIterations;

    @Option(names = "--crf-appearance-weight", paramLabel = "W1", defaultValue = "10",
            description = "DenseCRF appearance (position + colour) kernel weight (default ${DEFAULT-VALUE}).")
    double crfAppearanceWeight;

    @Option(names = "--crf-theta-alpha", paramLabel = "PX", defaultValue = "80",
            description = "DenseCRF appearance kernel's spatial standard deviation, pixels (default ${DEFAULT-VALUE}).")
    double crfThetaAlpha;

    @Option(names = "--crf-theta-beta", paramLabel = "V", defaultValue = "13",
            description = "DenseCRF appearance kernel's colour standard deviation, 0-255 units (default"
                    + " ${DEFAULT-VALUE}).")
    double crfThetaBeta;

    @Option(names = "--crf-smoothness-weight", paramLabel = "W2", defaultValue = "3",
            description = "DenseCRF smoothness (position) kernel weight (default ${DEFAULT-VALUE}).")
    double crfSmoothnessWeight;

    @Option(names = "--crf-theta-gamma", paramLabel = "PX", defaultValue = "3",
            description = "DenseCRF smoothness kernel's standard deviation, pixels (default ${DEFAULT-VALUE}).")
    double crfThetaGamma;

    /** The predictor settings these options describe. */
    PredictorConfig config() {
        try {
            PredictorConfig c = PredictorConfig.defaults().withOverlap(overlap)
                    .withWeighting(PredictorConfig.Weighting.parse(weighting)).withFlips(flip, vflip)
                    .withTileBatch(batch);
            if (scales != null && !scales.isEmpty()) {
                c = c.withScales(scales);
            }
            if (tile != null) {
                int[] hw = size(tile, "--tile");
                c = c.withTile(hw[0], hw[1]);
            }
            if (crf) {
                c = c.withCrf(new DenseCrfConfig(crfIterations, crfAppearanceWeight, crfThetaAlpha, crfThetaBeta,
                        crfSmoothnessWeight, crfThetaGamma));
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /**
     * A predictor of {@code model} with these settings.
     *
     * @throws UsageException if the settings are invalid or {@code --tile} is no size the model accepts
     */
    io.segnet.inference.Predictor predictor(io.segnet.models.SegmentationModel model,
                                            io.segnet.inference.Preprocessing preprocessing) {
        PredictorConfig c = config();
        try {
            return io.segnet.inference.Predictor.of(model, preprocessing, c);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** Parses {@code HxW} (or a single number for a square). */
    static int[] size(String text, String option) {
        String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            int h = Integer.parseInt(parts[0].strip());
            int w = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : h;
            if (parts.length > 2 || h < 1 || w < 1) {
                throw new NumberFormatException();
            }
            return new int[]{h, w};
        } catch (NumberFormatException e) {
            throw new UsageException(option + " '" + text + "' is not a size; write HEIGHTxWIDTH, e.g. 256x256");
        }
    }
}
