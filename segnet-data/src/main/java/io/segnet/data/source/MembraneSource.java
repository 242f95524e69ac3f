package io.segnet.data.source;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.segnet.data.dataset.MembraneDataset;
import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.data.dataset.Split;

import java.nio.file.Path;

/**
 * The ISBI 2012 membrane images ({@code type: membrane}, {@link MembraneDataset}), {@code validationCount} of the 30
 * held out by a seeded split.
 *
 * @param root            folder holding {@code image/} and {@code label/} ({@code data.root}), or null to look for
 *                        {@code data/membrane/train} from the working directory upwards
 * @param validationCount images held out ({@code data.validationCount}); 0 takes the default, 3
 * @param seed            split seed ({@code data.seed}, {@code --seed}; 42)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MembraneSource(String root, int validationCount, long seed) implements DataSource {

    /** Images held out when {@code validationCount} is 0. */
    public static final int DEFAULT_VALIDATION_COUNT = 3;

    /** Checks the count; 0 becomes {@link #DEFAULT_VALIDATION_COUNT}. */
    public MembraneSource {
        if (validationCount < 0) {
            throw new IllegalArgumentException("data.validationCount is " + validationCount + "; use 0 or more");
        }
        validationCount = validationCount == 0 ? DEFAULT_VALIDATION_COUNT : validationCount;
    }

    /** Reads a settings file's fields; those left out take the defaults (found root, 3 held out, seed 42). */
    @JsonCreator
    static MembraneSource fromSettings(@JsonProperty("root") String root,
                                       @JsonProperty("validationCount") Integer validationCount,
                                       @JsonProperty("seed") Long seed) {
        return new MembraneSource(root, validationCount == null ? 0 : validationCount, seed == null ? DEFAULT_SEED : seed);
    }

    @Override
    public MembraneSource withSeed(long newSeed) {
        return new MembraneSource(root, validationCount, newSeed);
    }

    @Override
    public Parts open() {
        SegmentationDataset all = root == null ? MembraneDataset.load() : MembraneDataset.load(Path.of(root));
        Split<SegmentationDataset> s = all.split(validationCount, seed);
        return new Parts(s.train(), s.validation());
    }

    @Override
    public String fingerprint() {
        return "membrane " + (root == null ? MembraneDataset.DEFAULT_ROOT : root) + " held out " + validationCount
                + " seed=" + seed;
    }
}
