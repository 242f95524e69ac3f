package io.segnet.data.transform;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * The random training augmentation of a run, as settings, in the order it is applied: {@code colorJitter} of
 * brightness, contrast and saturation, left-right {@code flip} (p 0.5), {@code verticalFlip} (p 0.5),
 * {@code rotation} (uniform in +-degrees), {@code elastic} deformation ({@link ElasticDeformation}: random
 * displacements on an {@code elasticGrid} x {@code elasticGrid} grid, interpolated bicubically, as U-Net is trained),
 * random scale in [{@code minScale}, {@code maxScale}] with a {@code crop} to [height, width]. The elastic deformation
 * comes before the crop, so its grid spans the whole image. The geometric transforms come last (the crop last of all,
 * before the padding to the model's size multiple) so that a trainer can normalise before them and fill and pad with 0
 * after normalisation; the jitter therefore never sees filled or padded pixels. Fields left out of a settings file
 * take the defaults of {@link #none()}.
 *
 * @param crop         training crop [height, width], empty for none ({@code data.crop}, {@code --crop HxW})
 * @param minScale     smallest random scale before the crop ({@code data.minScale}; 1)
 * @param maxScale     largest random scale before the crop ({@code data.maxScale}; 1)
 * @param flip         random left-right flips ({@code data.flip}, {@code --flip})
 * @param verticalFlip random top-bottom flips ({@code data.verticalFlip})
 * @param rotation     random rotation range in degrees, 0 for none ({@code data.rotation})
 * @param colorJitter  brightness/contrast/saturation jitter strength, 0 for none ({@code data.colorJitter})
 * @param elastic      elastic deformation: standard deviation of the control points' displacements in pixels, 0 for
 *                     none ({@code data.elastic}, {@code --elastic PIXELS[,GRID]}; 10 in the U-Net paper)
 * @param elasticGrid  elastic deformation: control points per side, >= 2 ({@code data.elasticGrid}; 3)
 */
public record Augmentation(List<Integer> crop, double minScale, double maxScale, boolean flip, boolean verticalFlip,
                           double rotation, double colorJitter, double elastic, int elasticGrid)
        implements java.io.Serializable {

    /** The default of {@link #elasticGrid}: 3 x 3 control points, as in the U-Net paper. */
    public static final int DEFAULT_ELASTIC_GRID = 3;

    /** Checks the ranges; messages name the setting to change. */
    public Augmentation {
        crop = crop == null ? List.of() : List.copyOf(crop);
        if (!crop.isEmpty() && (crop.size() != 2 || crop.get(0) < 1 || crop.get(1) < 1)) {
            throw new IllegalArgumentException("data.crop is " + crop + "; give [height, width], e.g. [256, 256],"
                    + " or leave it out");
        }
        if (!(minScale > 0) || !(maxScale >= minScale)) {
            throw new IllegalArgumentException("data.minScale/maxScale " + minScale + "/" + maxScale
                    + " are invalid; use 0 < minScale <= maxScale, e.g. 0.5 and 2.0");
        }
        if ((minScale != 1 || maxScale != 1) && crop.isEmpty()) {
            throw new IllegalArgumentException("random scaling (data.minScale/maxScale) needs data.crop (--crop), the"
                    + " size every scaled image is cropped or padded to");
        }
        if (!(rotation >= 0) || !(colorJitter >= 0)) {
            throw new IllegalArgumentException("data.rotation and data.colorJitter must be >= 0, got " + rotation
                    + " and " + colorJitter);
        }
        if (!(elastic >= 0) || Double.isInfinite(elastic)) {
            throw new IllegalArgumentException("data.elastic is " + elastic + "; give the elastic displacements'"
                    + " standard deviation in pixels, >= 0 (0 for none), e.g. 10 (--elastic 10)");
        }
        if (elasticGrid < 2) {
            throw new IllegalArgumentException("data.elasticGrid is " + elasticGrid + "; use 2 or more control points"
                    + " per side, e.g. " + DEFAULT_ELASTIC_GRID + " (the default; --elastic 10," + DEFAULT_ELASTIC_GRID
                    + ")");
        }
    }

    /** Without elastic deformation (the settings before it existed). */
    public Augmentation(List<Integer> crop, double minScale, double maxScale, boolean flip, boolean verticalFlip,
                        double rotation, double colorJitter) {
        this(crop, minScale, maxScale, flip, verticalFlip, rotation, colorJitter, 0, DEFAULT_ELASTIC_GRID);
    }

    /** Reads a settings file's fields; those left out take the defaults of {@link #none()}. */
    @JsonCreator
    static Augmentation fromSettings(@JsonProperty("crop") List<Integer> crop,
                                     @JsonProperty("minScale") Double minScale,
                                     @JsonProperty("maxScale") Double maxScale,
                                     @JsonProperty("flip") Boolean flip,
                                     @JsonProperty("verticalFlip") Boolean verticalFlip,
                                     @JsonProperty("rotation") Double rotation,
                                     @JsonProperty("colorJitter") Double colorJitter,
                                     @JsonProperty("elastic") Double elastic,
                                     @JsonProperty("elasticGrid") Integer elasticGrid) {
        return new Augmentation(crop, minScale == null ? 1 : minScale, maxScale == null ? 1 : maxScale,
                flip != null && flip, verticalFlip != null && verticalFlip, rotation == null ? 0 : rotation,
                colorJitter == null ? 0 : colorJitter, elastic == null ? 0 : elastic,
                elasticGrid == null ? DEFAULT_ELASTIC_GRID : elasticGrid);
    }

    /** No augmentation. */
    public static Augmentation none() {
        return new Augmentation(List.of(), 1, 1, false, false, 0, 0, 0, DEFAULT_ELASTIC_GRID);
    }

    /** The height of augmented samples: the crop's, or {@code sampleHeight} without a crop. */
    public int outputHeight(int sampleHeight) {
        return crop.isEmpty() ? sampleHeight : crop.get(0);
    }

    /** The width of augmented samples: the crop's, or {@code sampleWidth} without a crop. */
    public int outputWidth(int sampleWidth) {
        return crop.isEmpty() ? sampleWidth : crop.get(1);
    }

    /**
     * The random transforms, then padding to a multiple of {@code sizeMultiple} (a model's input-size rule; 1 for
     * none), or null if there is nothing to do.
     */
    public Transform transform(int sizeMultiple) {
        List<Transform> t = new ArrayList<>();
        // photometric first: geometric transforms that fill or pad come last, so a trainer can run them after
        // normalisation (filled and padded pixels are then 0 in normalised space, as in prediction)
        if (colorJitter > 0) {
            t.add(new ColorJitter(colorJitter, colorJitter, colorJitter));
        }
        if (flip) {
            t.add(RandomFlip.horizontal(0.5));
        }
        if (verticalFlip) {
            t.add(RandomFlip.vertical(0.5));
        }
        if (rotation > 0) {
            t.add(RandomRotation.degrees(rotation));
        }
        if (elastic > 0) {
            t.add(ElasticDeformation.of(elastic, elasticGrid));
        }
        if (!crop.isEmpty()) {
            t.add(new RandomScaleCrop(minScale, maxScale, crop.get(0), crop.get(1)));
        }
        if (sizeMultiple > 1) {
            t.add(PadToMultiple.of(sizeMultiple));
        }
        return t.isEmpty() ? null : new Compose(t);
    }
}
