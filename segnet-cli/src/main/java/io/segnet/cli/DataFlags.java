package io.segnet.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * The data flags of {@code segnet train}. Jackson writes the flags given (and only those) under the names of the
 * {@code data} section's settings ({@link DataSpec}), the tree laid over the settings file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
final class DataFlags {

    @JsonProperty("type")
    @Option(names = "--data", paramLabel = "TYPE", description = "m2nist (default), membrane or folder (the"
            + " default when --images or --masks is given).")
    String dataType;

    @JsonProperty("images")
    @Option(names = "--images", paramLabel = "DIR", description = "Folder data: training images.")
    String images;

    @JsonProperty("masks")
    @Option(names = "--masks", paramLabel = "DIR", description = "Folder data: training masks (same file stems).")
    String masks;

    @JsonProperty("validationImages")
    @Option(names = "--val-images", paramLabel = "DIR", description = "Folder data: validation images.")
    String valImages;

    @JsonProperty("validationMasks")
    @Option(names = "--val-masks", paramLabel = "DIR", description = "Folder data: validation masks.")
    String valMasks;

    @JsonProperty("validationFraction")
    @Option(names = "--val-fraction", paramLabel = "F", description = "Folder data: hold out this share of the"
            + " images for validation when there are no validation folders.")
    Double valFraction;

    @JsonProperty("numClasses")
    @Option(names = "--num-classes", paramLabel = "K", description = "Folder data: number of classes.")
    Integer numClasses;

    @JsonProperty("classNames")
    @Option(names = "--class-names", paramLabel = "NAME", split = ",", description = "Folder data: class names.")
    List<String> classNames;

    @JsonProperty("maskFormat")
    @Option(names = "--mask-format", paramLabel = "F", description = "Folder data: index (default), binary255,"
            + " reduceZeroLabel or rgb.")
    String maskFormat;

    @JsonProperty("ignoreValue")
    @Option(names = "--ignore-value", paramLabel = "V", description = "Folder data: mask value of pixels that"
            + " count for nothing, e.g. 11 for CamVid's void (default 255).")
    Integer ignoreValue;

    @JsonProperty("imageChannels")
    @Option(names = "--image-channels", paramLabel = "C", description = "Folder data: convert every image to 1"
            + " (gray) or 3 (RGB) channels when read (default: as stored).")
    Integer imageChannels;

    @JsonProperty("colorTable")
    @Option(names = "--color-table", paramLabel = "FILE", description = "Folder data with rgb masks: colour table.")
    String colorTable;

    @Option(names = "--crop", paramLabel = "HxW", description = "Random training crop, e.g. 256x256.")
    String crop;

    @JsonProperty("flip")
    @Option(names = "--flip", negatable = true, description = "Random left-right flips.")
    Boolean flip;

    @JsonProperty("verticalFlip")
    @Option(names = "--vertical-flip", negatable = true, description = "Random top-bottom flips (aerial and"
            + " microscopy images).")
    Boolean verticalFlip;

    @Option(names = "--random-scale", paramLabel = "MIN,MAX", description = "Random scale of each training image"
            + " in [MIN, MAX] before the --crop (mmsegmentation's RandomResize + RandomCrop), e.g. 0.5,2.0.")
    String randomScale;

    @JsonProperty("rotation")
    @Option(names = "--rotate", paramLabel = "DEG", description = "Random rotation within +-DEG degrees.")
    Double rotation;

    @Option(names = "--elastic", paramLabel = "PIXELS[,GRID]", description = "Random elastic deformation (U-Net"
            + " paper): displacements of standard deviation PIXELS on a GRIDxGRID control grid (default 3),"
            + " interpolated bicubically; for microscopy and medical images, e.g. 10.")
    String elastic;

    @JsonProperty("colorJitter")
    @Option(names = "--color-jitter", paramLabel = "S", description = "Random brightness, contrast and saturation"
            + " of strength S (e.g. 0.2), on the image only.")
    Double colorJitter;

    @JsonProperty("scale")
    @Option(names = "--scale", paramLabel = "F", description = "Resize every image by F (e.g. 0.5) for training and"
            + " validation; the model remembers it, so predict and evaluate resize the same way and answer at the"
            + " images' own size.")
    Double scale;

    @Option(names = "--resize", paramLabel = "HxW", description = "Resize every image to HxW instead (not with"
            + " --scale); remembered like --scale.")
    String resize;

    @Option(names = "--mean", paramLabel = "M", split = ",", description = "Normalisation: per-channel means of"
            + " images in [0, 1], e.g. 0.485,0.456,0.406 (default: M2NIST's for M2NIST, ImageNet's with"
            + " --encoder-weights, else none).")
    List<Double> meanValues;

    @Option(names = "--std", paramLabel = "S", split = ",", description = "Normalisation: per-channel standard"
            + " deviations, as many as --mean.")
    List<Double> stdValues;

    @JsonProperty("train")
    @Option(names = "--m2nist-train", paramLabel = "N", description = "M2NIST: training images (default 4000).")
    Integer m2nistTrain;

    @JsonProperty("validation")
    @Option(names = "--m2nist-validation", paramLabel = "N", description = "M2NIST: validation images (1000).")
    Integer m2nistValidation;

    /** {@code --resize HxW} as {@code [H, W]}. */
    @JsonProperty("resize")
    List<Integer> resizeSize() {
        if (resize == null) {
            return null;
        }
        int[] hw = PredictorOptions.size(resize, "--resize");
        return List.of(hw[0], hw[1]);
    }

    /** {@code --random-scale MIN,MAX} as its lower bound. */
    @JsonProperty("minScale")
    Double minScale() {
        return randomScale == null ? null : randomScaleRange()[0];
    }

    /** {@code --random-scale MIN,MAX} as its upper bound. */
    @JsonProperty("maxScale")
    Double maxScale() {
        return randomScale == null ? null : randomScaleRange()[1];
    }

    private double[] randomScaleRange() {
        String[] p = randomScale.split(",");
        try {
            if (p.length == 2) {
                double lo = Double.parseDouble(p[0].strip());
                double hi = Double.parseDouble(p[1].strip());
                if (lo > 0 && hi >= lo) {
                    return new double[]{lo, hi};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--random-scale '" + randomScale + "': give MIN,MAX with 0 < MIN <= MAX, e.g."
                + " --random-scale 0.5,2.0");
    }

    /** {@code --elastic PIXELS[,GRID]}: the displacements' standard deviation. */
    @JsonProperty("elastic")
    Double elasticPixels() {
        return elastic == null ? null : elasticSettings().pixels();
    }

    /** {@code --elastic PIXELS,GRID}: the control grid's size, or null (the settings' or default 3) without GRID. */
    @JsonProperty("elasticGrid")
    Integer elasticGrid() {
        return elastic == null ? null : elasticSettings().grid();
    }

    /** {@code --elastic PIXELS[,GRID]} parsed; {@code grid} null when not given. */
    private record Elastic(double pixels, Integer grid) {
    }

    private Elastic elasticSettings() {
        String[] p = elastic.split(",", -1);
        try {
            if (p.length == 1 || p.length == 2) {
                double pixels = Double.parseDouble(p[0].strip());
                Integer grid = p.length == 2 ? Integer.valueOf(p[1].strip()) : null;
                if (pixels >= 0 && Double.isFinite(pixels) && (grid == null || grid >= 2)) {
                    return new Elastic(pixels, grid);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--elastic '" + elastic + "': give PIXELS[,GRID], the displacements' standard"
                + " deviation in pixels (>= 0) and optionally the control grid's size (a whole number >= 2), e.g."
                + " --elastic 10 or --elastic 10,3");
    }

    /** {@code --crop HxW} as {@code [H, W]}. */
    @JsonProperty("crop")
    List<Integer> cropSize() {
        if (crop == null) {
            return null;
        }
        int[] hw = PredictorOptions.size(crop, "--crop");
        return List.of(hw[0], hw[1]);
    }

    /**
     * {@code --mean}; without it, data other than M2NIST chosen by flag is not normalised (the defaults' M2NIST mean
     * and std are cleared).
     */
    @JsonProperty("mean")
    List<Double> mean() {
        if (meanValues != null || stdValues != null) {
            return meanValues == null ? List.of() : meanValues;
        }
        return dataType != null && !dataType.equalsIgnoreCase("m2nist") ? List.of() : null;
    }

    /** See {@link #mean()}. */
    @JsonProperty("std")
    List<Double> std() {
        if (meanValues != null || stdValues != null) {
            return stdValues == null ? List.of() : stdValues;
        }
        return mean();
    }

    /** Whether {@code --mean} or {@code --std} was given. */
    boolean normalisationGiven() {
        return meanValues != null || stdValues != null;
    }
}
