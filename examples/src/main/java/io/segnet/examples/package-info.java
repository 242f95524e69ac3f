/**
 * Runnable examples, each a {@code main} and a {@code run(Options, PrintStream)} method:
 * {@link io.segnet.examples.M2nistQuickstart} (generate M2NIST, train, evaluate, write predictions; also
 * {@code segnet quickstart}) and {@link io.segnet.examples.MembraneUNet} (U-Net on the ISBI 2012 membrane images
 * with augmentation, pixel accuracy and membrane Dice on held-out images). The memory soak ({@code segnet soak})
 * lives in segnet-bench.
 */
package io.segnet.examples;
