package io.segnet.data.dataset;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem.Kind;
import io.segnet.data.io.MaskFormat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The membrane data set: the ISBI 2012 EM segmentation challenge training stack (serial-section TEM of the
 * Drosophila first instar larva ventral nerve cord, Cardona et al. 2010), as prepared as PNG files by the
 * MIT-licensed repository zhixuhao/unet ({@code data/membrane/train}); the data set of the U-Net paper
 * (Ronneberger et al. 2015).
 *
 * <p>30 grayscale images of 512x512 in {@code train/image/N.png} and masks in {@code train/label/N.png}
 * stored as 0 (membrane, about 22% of pixels) and 255 (cell interior). Loaded with
 * {@link MaskFormat#binary255()}: class 0 {@code membrane}, class 1 {@code cell}; images as 1 channel.
 * The challenge's test labels are not public: hold out part of the training images with
 * {@link SegmentationDataset#split(int, long)}.
 */
public final class MembraneDataset {

    /** Class names: 0 membrane, 1 cell interior. */
    public static final List<String> CLASS_NAMES = List.of("membrane", "cell");

    /** Where the project keeps the data, relative to its root. */
    public static final Path DEFAULT_ROOT = Path.of("data", "membrane", "train");

    /** Number of images in the set. */
    public static final int SIZE = 30;

    private MembraneDataset() {
    }

    /** The configuration: 2 classes, masks 0/255 mapped to 0/1, images as 1 channel. */
    public static DatasetConfig config() {
        return DatasetConfig.of(2).withClassNames(CLASS_NAMES).withMaskFormat(MaskFormat.binary255())
                .withImageChannels(1);
    }

    /**
     * Loads the set from {@link #locate()}.
     *
     * @throws DataException if the folder cannot be found, saying where it was looked for
     */
    public static SegmentationDataset load() {
        return load(locate());
    }

    /** Loads the set from a {@code train} folder holding {@code image/} and {@code label/}. */
    public static SegmentationDataset load(Path trainDir) {
        return SegmentationDataset.fromFolders(trainDir.resolve("image"), trainDir.resolve("label"), config());
    }

    /**
     * Finds {@code data/membrane/train} in the working directory or one of its parents (so that code run
     * from a module directory of the project finds the project's copy).
     *
     * @throws DataException naming the directories searched if none holds the data
     */
    public static Path locate() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DEFAULT_ROOT);
            if (Files.isDirectory(candidate.resolve("image")) && Files.isDirectory(candidate.resolve("label"))) {
                return candidate;
            }
        }
        throw DataException.of(start.resolve(DEFAULT_ROOT), Kind.MISSING_FOLDER,
                "membrane data not found in " + start + " or any parent directory",
                "run from inside the segnet project (which keeps it in data/membrane/train), or name the folder"
                        + " holding image/ and label/ in the settings file: data: {type: membrane, root: FOLDER}");
    }
}
