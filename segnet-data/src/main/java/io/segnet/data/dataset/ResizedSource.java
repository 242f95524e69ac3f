package io.segnet.data.dataset;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.data.transform.Resize;

import java.util.List;
import java.util.Objects;

/**
 * Another source's samples resized as they are read: images bilinearly, masks by nearest neighbour ({@link Resize}),
 * to a size computed from each sample's own (a factor such as {@code --scale 0.5}, or a fixed size). For data sets
 * whose images are too large to train at full size; wrap it in an {@link InMemorySource} to decode and resize once.
 */
public final class ResizedSource implements SampleSource {

    /** The output size of a sample of {@code height x width}. */
    @FunctionalInterface
    public interface SizeRule {
        /** {@code {outputHeight, outputWidth}}, each {@code >= 1}. */
        int[] size(int height, int width);
    }

    private final SampleSource source;
    private final SizeRule rule;

    private ResizedSource(SampleSource source, SizeRule rule) {
        this.source = Objects.requireNonNull(source, "source");
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /** {@code source} with every sample resized to {@code rule.size(h, w)} for its own {@code h x w}. */
    public static ResizedSource of(SampleSource source, SizeRule rule) {
        return new ResizedSource(source, rule);
    }

    @Override
    public int size() {
        return source.size();
    }

    @Override
    public Sample get(int index) {
        Sample s = source.get(index);
        int[] size = rule.size(s.height(), s.width());
        return Resize.resize(s, size[0], size[1]);
    }

    @Override
    public String id(int index) {
        return source.id(index);
    }

    @Override
    public int numClasses() {
        return source.numClasses();
    }

    @Override
    public List<String> classNames() {
        return source.classNames();
    }
}
