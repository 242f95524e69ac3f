package io.segnet.data.dataset;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.data.transform.Resize;

import java.util.List;
import java.util.Objects;
import java.util.function.IntBinaryOperator;

/**
 * Another source's samples resized as they are read: images bilinearly, masks by nearest neighbour ({@link Resize}),
 * to a size computed from each sample's own (a factor such as {@code --scale 0.5}, or a fixed size). For data sets
 * whose images are too large to train at full size; wrap it in an {@link InMemorySource} to decode and resize once.
 */
public final class ResizedSource implements SampleSource {

    private final SampleSource source;
    private final IntBinaryOperator height;
    private final IntBinaryOperator width;

    private ResizedSource(SampleSource source, IntBinaryOperator height, IntBinaryOperator width) {
        this.source = Objects.requireNonNull(source, "source");
        this.height = height;
        this.width = width;
    }

    /**
     * {@code source} with every sample resized to {@code (height(h, w), width(h, w))} for its own {@code h x w}.
     *
     * @param height the output height of a sample of {@code h x w}, {@code >= 1}
     * @param width  the output width of a sample of {@code h x w}, {@code >= 1}
     */
    public static ResizedSource of(SampleSource source, IntBinaryOperator height, IntBinaryOperator width) {
        return new ResizedSource(source, Objects.requireNonNull(height, "height"), Objects.requireNonNull(width,
                "width"));
    }

    @Override
    public int size() {
        return source.size();
    }

    @Override
    public Sample get(int index) {
        Sample s = source.get(index);
        return Resize.resize(s, height.applyAsInt(s.height(), s.width()), width.applyAsInt(s.height(), s.width()));
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
