package io.segnet.inference;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.segnet.inference.crf.DenseCrfConfig;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link Predictor} covers an image and which test-time augmentations it averages. Immutable, validated on
 * construction, read and written by Jackson.
 *
 * <p>Sliding window: an image larger than the tile in either direction is covered by tiles of
 * {@code tileHeight x tileWidth} placed every {@code round(tile * (1 - overlap))} pixels (the last tile flush with
 * the bottom or right edge), and each pixel's logits are the average over the tiles that cover it, weighted by the
 * tile's weight map at that pixel ({@link Weighting}); an image no larger than the tile, or any image when the tile
 * is 0, is run whole (padded at the bottom and right to a size the model accepts, then cropped). Test-time
 * augmentation: the logits of the image at every scale in {@code scales} (resized bilinearly, logits resized back)
 * and, if enabled, of its horizontal and vertical mirror images (logits mirrored back) are averaged.
 *
 * <p>Defaults ({@link #defaults()}): no tiling, overlap 1/3, cosine weights, no flips, scale 1 only, 8 tiles per
 * batch.
 *
 * @param tileHeight     tile height in pixels, or 0 to run every image whole; usually the training crop size
 * @param tileWidth      tile width in pixels, or 0 (both or neither are 0)
 * @param overlap        fraction of a tile shared with its neighbour, in [0, 0.9] (1/3: stride = 2/3 tile)
 * @param weighting      how tiles are weighted where they overlap
 * @param horizontalFlip whether to average in the left-right mirror image
 * @param verticalFlip   whether to average in the top-bottom mirror image
 * @param scales         image scales to average, each in [0.25, 4] (at least one; {@code [1.0]} for none)
 * @param tileBatch      tiles run together in one batch, {@code >= 1}
 * @param crf            DenseCRF refinement of each image's probabilities after the network (and test-time
 *                       augmentation), or null for none
 */
public record PredictorConfig(int tileHeight, int tileWidth, double overlap, Weighting weighting,
                              boolean horizontalFlip, boolean verticalFlip, List<Double> scales, int tileBatch,
                              DenseCrfConfig crf) implements java.io.Serializable {

    /** Weight of a pixel within a tile, where tiles overlap. */
    public enum Weighting {
        /** Every pixel of a tile counts alike. */
        UNIFORM,
        /**
         * A separable Hann (raised-cosine) window, {@code sin^2(pi (i + 0.5) / T)} per axis: tile borders, where the
         * network sees least context, count least. Never 0, so every covered pixel has a weight.
         */
        COSINE;

        /** The weighting named {@code name} (any case). */
        @JsonCreator
        public static Weighting parse(String name) {
            for (Weighting w : values()) {
                if (w.name().equalsIgnoreCase(name.strip())) {
                    return w;
                }
            }
            throw new IllegalArgumentException("unknown window weighting '" + name + "'; use uniform or cosine");
        }

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks the ranges. */
    public PredictorConfig {
        if (tileHeight < 0 || tileWidth < 0 || (tileHeight == 0) != (tileWidth == 0)) {
            throw new IllegalArgumentException("tile " + tileHeight + "x" + tileWidth + " is invalid; give a positive"
                    + " height and width (usually the training crop size), or 0x0 to run every image whole");
        }
        if (!(overlap >= 0 && overlap <= 0.9)) {
            throw new IllegalArgumentException("overlap is " + overlap + "; use a fraction of the tile in [0, 0.9],"
                    + " e.g. 0.333");
        }
        Objects.requireNonNull(weighting, "weighting (uniform or cosine)");
        Objects.requireNonNull(scales, "scales (use [1.0] for none)");
        scales = List.copyOf(scales);
        if (scales.isEmpty()) {
            throw new IllegalArgumentException("scales is empty; give at least one scale, e.g. [1.0]");
        }
        for (double s : scales) {
            if (!(s >= 0.25 && s <= 4)) {
                throw new IllegalArgumentException("scale " + s + " is outside [0.25, 4]; use e.g. [0.75, 1.0, 1.25]");
            }
        }
        if (tileBatch < 1) {
            throw new IllegalArgumentException("tileBatch is " + tileBatch + "; run at least 1 tile per batch");
        }
    }

    /** Settings without DenseCRF. */
    public PredictorConfig(int tileHeight, int tileWidth, double overlap, Weighting weighting, boolean horizontalFlip,
                           boolean verticalFlip, List<Double> scales, int tileBatch) {
        this(tileHeight, tileWidth, overlap, weighting, horizontalFlip, verticalFlip, scales, tileBatch, null);
    }

    /** This config with DenseCRF refinement ({@code null}: none). */
    public PredictorConfig withCrf(DenseCrfConfig value) {
        return new PredictorConfig(tileHeight, tileWidth, overlap, weighting, horizontalFlip, verticalFlip, scales,
                tileBatch, value);
    }

    /** Whole images, no test-time augmentation. */
    public static PredictorConfig defaults() {
        return new PredictorConfig(0, 0, 1.0 / 3, Weighting.COSINE, false, false, List.of(1.0), 8);
    }

    /** This config with sliding-window tiles of {@code height x width}. */
    public PredictorConfig withTile(int height, int width) {
        return new PredictorConfig(height, width, overlap, weighting, horizontalFlip, verticalFlip, scales, tileBatch,
                crf);
    }

    /** This config with another overlap. */
    public PredictorConfig withOverlap(double value) {
        return new PredictorConfig(tileHeight, tileWidth, value, weighting, horizontalFlip, verticalFlip, scales,
                tileBatch, crf);
    }

    /** This config with another window weighting. */
    public PredictorConfig withWeighting(Weighting value) {
        return new PredictorConfig(tileHeight, tileWidth, overlap, value, horizontalFlip, verticalFlip, scales,
                tileBatch, crf);
    }

    /** This config with flip test-time augmentation on or off. */
    public PredictorConfig withFlips(boolean horizontal, boolean vertical) {
        return new PredictorConfig(tileHeight, tileWidth, overlap, weighting, horizontal, vertical, scales, tileBatch,
                crf);
    }

    /** This config averaging over {@code values} scales. */
    public PredictorConfig withScales(List<Double> values) {
        return new PredictorConfig(tileHeight, tileWidth, overlap, weighting, horizontalFlip, verticalFlip, values,
                tileBatch, crf);
    }

    /** This config with another tile batch size. */
    public PredictorConfig withTileBatch(int value) {
        return new PredictorConfig(tileHeight, tileWidth, overlap, weighting, horizontalFlip, verticalFlip, scales,
                value, crf);
    }

    /** Whether images larger than a tile are tiled. */
    public boolean tiled() {
        return tileHeight > 0;
    }

    /** Number of network passes per tile position: scales times flip variants. */
    public int augmentations() {
        return scales.size() * (1 + (horizontalFlip ? 1 : 0) + (verticalFlip ? 1 : 0));
    }
}
