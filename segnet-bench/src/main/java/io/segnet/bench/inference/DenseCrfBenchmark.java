package io.segnet.bench.inference;

import io.segnet.bench.Machine;
import io.segnet.bench.TimingPlan;
import io.segnet.bench.Timings;
import io.segnet.inference.crf.DenseCrf;
import io.segnet.inference.crf.DenseCrfConfig;

import java.util.Random;

/**
 * DenseCRF on a 512x512 RGB image with 21 classes, 5 mean-field iterations and both kernels (the densecrf example's
 * settings, {@link DenseCrfConfig#defaults()}): the lattices' construction and the inference together, as
 * {@link DenseCrf#refine} runs them per image. The image has four flat regions with noise and the probabilities a
 * noisy softmax that mostly follows them, so the lattice has the size it has on real images (not that of a constant
 * image). Prints the median of 7 runs after 2 warm-ups, one JSON line.
 *
 * <p>{@code java -cp segnet-cli/target/segnet.jar io.segnet.bench.inference.DenseCrfBenchmark [SIZE [CLASSES]]}
 */
public final class DenseCrfBenchmark {
    private DenseCrfBenchmark() {
    }

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int classes = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        int n = size * size;
        Random random = new Random(0);
        float[] image = new float[3 * n];
        float[] probabilities = new float[classes * n];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                int region = (y < size / 2 ? 0 : 2) + (x < size / 3 ? 0 : 1);
                for (int c = 0; c < 3; c++) {
                    image[c * n + i] = Math.max(0, Math.min(255, 40 + 50 * region + 20 * c
                            + (float) random.nextGaussian() * 10));
                }
                double sum = 0;
                double[] e = new double[classes];
                for (int k = 0; k < classes; k++) {
                    e[k] = Math.exp(random.nextGaussian() + (k == region ? 2 : 0));
                    sum += e[k];
                }
                for (int k = 0; k < classes; k++) {
                    probabilities[k * n + i] = (float) (e[k] / sum);
                }
            }
        }
        DenseCrf crf = new DenseCrf(DenseCrfConfig.defaults());
        Timings t = Timings.measure(() -> crf.refine(probabilities, classes, size, size, image, 3),
                TimingPlan.of(2, 7));
        System.err.println(Machine.describe());
        System.out.println(t.jsonLine("crf-" + size + "x" + size + "x" + classes,
                "DenseCRF " + size + "x" + size + " RGB, " + classes + " classes, 5 iterations, both kernels"));
    }
}
