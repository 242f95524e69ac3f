package io.segnet.core.layers;

/** Activation fused into a layer's output (applied in place, its gradient masked in the same pass). */
public enum FusedActivation {
    /** No activation: the layer outputs its linear result. */
    IDENTITY,
    /** {@code max(0, x)}. */
    RELU
}
