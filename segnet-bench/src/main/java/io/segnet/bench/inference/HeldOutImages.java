package io.segnet.bench.inference;

import io.segnet.data.SampleSource;
import io.segnet.data.dataset.DatasetConfig;
import io.segnet.data.dataset.MembraneDataset;
import io.segnet.data.dataset.SegmentationDataset;

import java.nio.file.Path;
import java.util.List;

/**
 * The labelled images an inference-time measurement runs on: the 3 membrane images that {@code segnet train --data
 * membrane} holds out (seed 42), or {@code count} image/mask pairs (index PNGs) of a folder from {@code first}, in
 * name order.
 */
final class HeldOutImages {

    private HeldOutImages() {
    }

    /** The membrane data set's held-out images. */
    static SampleSource membrane() {
        return MembraneDataset.load().split(3, 42).validation();
    }

    /** {@code count} pairs of the folders from the {@code first} (0-based) in name order. */
    static SampleSource folder(Path images, Path masks, int classes, int first, int count) {
        SegmentationDataset all = SegmentationDataset.fromFolders(images, masks, DatasetConfig.of(classes));
        List<String> stems = all.stems();
        return all.subset(stems.subList(Math.min(first, stems.size()),
                (int) Math.min(stems.size(), (long) first + count)));
    }
}
