package io.segnet.bench.inference;

import io.segnet.data.SampleSource;
import io.segnet.data.dataset.DatasetConfig;
import io.segnet.data.dataset.MembraneDataset;
import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.inference.PredictorConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * The labelled images an inference-time measurement runs on, and how it predicts them, from the command-line
 * arguments the measurements share: {@code --membrane}, the 3 membrane images that {@code segnet train --data
 * membrane} holds out (seed 42); or {@code --images DIR --masks DIR --num-classes K [--first N] [--count N]}, that
 * many image/mask pairs (index PNGs) in name order from the {@code first} (0-based); and {@code --tile HxW},
 * {@code --flip} for the {@link PredictorConfig}.
 */
final class HeldOutImages {

    private boolean membrane;
    private Path images;
    private Path masks;
    private int classes;
    private int first;
    private int count = Integer.MAX_VALUE;
    private PredictorConfig inference = PredictorConfig.defaults();

    /**
     * Reads {@code args[i]} (and its value) if it is one of the shared arguments.
     *
     * @return how many arguments were read: 0 if {@code args[i]} is not one of them
     */
    int read(String[] args, int i) {
        switch (args[i]) {
            case "--membrane" -> membrane = true;
            case "--flip" -> inference = inference.withFlips(true, false);
            case "--images" -> images = Path.of(args[i + 1]);
            case "--masks" -> masks = Path.of(args[i + 1]);
            case "--num-classes" -> classes = Integer.parseInt(args[i + 1]);
            case "--first" -> first = Integer.parseInt(args[i + 1]);
            case "--count" -> count = Integer.parseInt(args[i + 1]);
            case "--tile" -> {
                String[] hw = args[i + 1].split("x");
                inference = inference.withTile(Integer.parseInt(hw[0]), Integer.parseInt(hw[1]));
            }
            default -> {
                return 0;
            }
        }
        return args[i].equals("--membrane") || args[i].equals("--flip") ? 1 : 2;
    }

    /** True if exactly one source was given: {@code --membrane} or {@code --images}. */
    boolean complete() {
        return membrane != (images != null);
    }

    /** The images. */
    SampleSource open() {
        if (membrane) {
            return MembraneDataset.load().split(3, 42).validation();
        }
        SegmentationDataset all = SegmentationDataset.fromFolders(images, masks, DatasetConfig.of(classes));
        List<String> stems = all.stems();
        return all.subset(stems.subList(Math.min(first, stems.size()),
                (int) Math.min(stems.size(), (long) first + count)));
    }

    /** Tiles and flips. */
    PredictorConfig inference() {
        return inference;
    }
}
