package io.segnet.data.transform;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * The random training augmentation of a run, as settings, in the order it is applied: left-right {@code flip}
 * (p 0.5), {@code verticalFlip} (p 0.5), {@code rotation} (uniform in +-degrees), {@code colorJitter} of brightness,
 * contrast and saturation, random scale in [{@code minScale}, {@code maxScale}] with a {@code crop} to
 * [height, width]. The crop comes last (before the padding to the model's size multiple) so that a trainer can
 * normalise before it and pad with 0 after normalisation; the jitter therefore never sees padded pixels.
 * Fields left out of a settings file take the defaults of {@link #none()}.
 *
 * @param crop         training crop [height, width], empty for none ({@code data.crop}, {@code --crop HxW})
 * @param minScale     smallest random scale before the crop ({@code data.minScale}; 1)
 * @param maxScale     largest random scale before the crop ({@code data.maxScale}; 1)
 * @param flip         random left-right flips ({@code data.flip}, {@code --flip})
 * @param verticalFlip random top-bottom flips ({@code data.verticalFlip})
 * @param rotation     random rotation range in degrees, 0 for none ({@code data.rotation})
 * @param colorJitter  brightness/contrast/saturation jitter strength, 0 for none ({@code data.colorJitter})
 */
public record Augmentation(List<Integer> crop, double minScale, double maxScale, boolean flip, boolean verticalFlip,
                           double rotation, double colorJitter) implements java.io.Serializable {

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
    }

    /** Reads a settings file's fields; those left out take the defaults of {@link #none()}. */
    @JsonCreator
    static Augmentation fromSettings(@JsonProperty("crop") List<Integer> crop,
                                     @JsonProperty("minScale") Double minScale,
                                     @JsonProperty("maxScale") Double maxScale,
                                     @JsonProperty("flip") Boolean flip,
                                     @JsonProperty("verticalFlip") Boolean verticalFlip,
                                     @JsonProperty("rotation") Double rotation,
                                     @JsonProperty("colorJitter") Double colorJitter) {
        return new Augmentation(crop, minScale == null ? 1 : minScale, maxScale == null ? 1 : maxScale,
                flip != null && flip, verticalFlip != null && verticalFlip, rotation == null ? 0 : rotation,
                colorJitter == null ? 0 : colorJitter);
    }

    /** No augmentation. */
    public static Augmentation none() {
        return new Augmentation(List.of(), 1, 1, false, false, 0, 0);
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
        if (!crop.isEmpty()) {
            t.add(new RandomScaleCrop(minScale, maxScale, crop.get(0), crop.get(1)));
        }
        if (sizeMultiple > 1) {
            t.add(PadToMultiple.of(sizeMultiple));
        }
        return t.isEmpty() ? null : new Compose(t);
    }
}
