/**
 * Runnable examples, each a {@code main} and a {@code run(Options, PrintStream)} method:
 * {@link io.segnet.examples.MembraneUNet} (U-Net on the ISBI 2012 membrane images with augmentation, pixel accuracy
 * and membrane Dice on held-out images) and {@link io.segnet.examples.ModelTable} (every architecture trained on
 * M2NIST). The quickstart ({@code segnet quickstart}) lives in segnet-cli, the memory soak ({@code segnet soak}) in
 * segnet-bench; both build on the library's presets ({@code SegmentationModels.quickstart},
 * {@code M2nistQuickstartData}).
 */
package io.segnet.examples;
