package io.segnet.core.layers;

import java.util.Arrays;

/**
 * One parameter array of a segnet layer: its name, shape (PyTorch's layout), how it is initialised and whether the
 * optimiser trains it.
 *
 * @param name   key in the layer's parameter table (also the suffix of its name in the graph's flat parameter vector)
 * @param shape  array shape, row-major
 * @param init   initialisation rule
 * @param fanIn  fan-in for weight initialisation ({@code iC * kH * kW} for a convolution)
 * @param fanOut fan-out for weight initialisation
 */
public record ParamSpec(String name, long[] shape, Init init, double fanIn, double fanOut) {

    /** How a parameter is initialised, and what kind of parameter it is. */
    public enum Init {
        /** The layer's weight initialiser (the graph's global one unless the layer sets its own); regularised. */
        WEIGHT,
        /** The layer's bias initialiser (constant, 0 by default); regularised with the bias regularisation. */
        BIAS,
        /** Ones, trained, not regularised (batch-norm scale). */
        ONES,
        /** Zeros, trained, not regularised (batch-norm shift). */
        ZEROS,
        /** Zeros, not trained: a running statistic updated by the layer itself. */
        STAT_ZEROS,
        /** Ones, not trained: a running statistic updated by the layer itself. */
        STAT_ONES,
        /** Bilinear-upsampling kernel on the diagonal of a {@code [C, C, k, k]} transposed convolution (FCN). */
        BILINEAR
    }

    public ParamSpec {
        shape = shape.clone();
    }

    /** Number of elements. */
    public long length() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    /** True if the optimiser updates this parameter. */
    public boolean trainable() {
        return init != Init.STAT_ZEROS && init != Init.STAT_ONES;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape) && p.init == init
                && p.fanIn == fanIn && p.fanOut == fanOut;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + " (" + init + ")";
    }
}
