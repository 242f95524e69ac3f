package io.segnet.bench.inference;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.inference.Prediction;
import io.segnet.inference.Predictor;
import io.segnet.inference.PredictorConfig;
import io.segnet.metrics.ConfusionMatrix;
import io.segnet.metrics.SegmentationMetrics;
import io.segnet.models.SegmentationModel;
import io.segnet.train.checkpoint.Checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What averaging several trained models buys on held-out images, and what moving the averaged prediction by a
 * fraction of a pixel buys (for masks drawn with a consistent offset from the images, as
 * {@code segnet-bench/src/main/python/mask_alignment.py} measures it). Prints one Markdown table of pixel accuracy and
 * mean IoU: each model alone; the average of the softmax probabilities of the first 2, 3, ... models; and that average
 * of all models moved by each {@code --shift DY,DX} (pixels, positive = down and right; bilinear interpolation of the
 * probabilities, the image's edge pixels repeated), then the arg-max.
 *
 * <pre>
 * java -cp segnet-cli/target/segnet.jar io.segnet.bench.inference.ModelAverage --model runs/a/best.zip
 *     --model runs/b/best.zip --membrane --tile 256x256 [--flip] [--shift -0.5,0 --shift -0.5,-0.25 ...]
 * java -cp ... ModelAverage --model ... --images DIR --masks DIR --num-classes 59 [--first N] [--count N] ...
 * </pre>
 *
 * Every model predicts with the same {@link PredictorConfig} (tiles, flips) and its own preprocessing. Data as in
 * {@link HeldOutImages} reads them. One image is held in memory at a time (the models' probabilities for it).
 */
public final class ModelAverage {

    private ModelAverage() {
    }

    /** Runs the comparison; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        List<Path> models = new ArrayList<>();
        List<double[]> shifts = new ArrayList<>();
        HeldOutImages images = new HeldOutImages();
        for (int i = 0; i < args.length; i++) {
            int read = images.read(args, i);
            if (read > 0) {
                i += read - 1;
                continue;
            }
            switch (args[i]) {
                case "--model" -> models.add(Path.of(args[++i]));
                case "--shift" -> shifts.add(parseShift(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; see the Javadoc of "
                        + ModelAverage.class.getName());
            }
        }
        if (models.isEmpty() || !images.complete()) {
            throw new IllegalArgumentException("give --model (once per model) and either --membrane or"
                    + " --images/--masks/--num-classes");
        }
        SampleSource data = images.open();
        List<Predictor> predictors = new ArrayList<>();
        int k = 0;
        int ignore = 0;
        for (Path m : models) {
            Checkpoint.Contents contents = Checkpoint.loadForInference(m);
            SegmentationModel network = contents.model();
            int modelClasses = network.config().numClasses() == 1 ? 2 : network.config().numClasses();
            if (k != 0 && modelClasses != k) {
                throw new IllegalArgumentException(m + " has " + modelClasses + " classes, " + models.get(0)
                        + " has " + k + "; average models of the same classes");
            }
            k = modelClasses;
            ignore = network.config().loss().ignoreIndex();
            predictors.add(Predictor.of(network, contents.preprocessing(), images.inference()));
        }
        Table table = run(predictors, data, k, ignore, shifts);
        System.out.printf(Locale.ROOT, "%d images%n%n", data.size());
        System.out.println("| prediction | pixel acc. | mIoU |");
        System.out.println("|---|---|---|");
        for (int r = 0; r < table.names.size(); r++) {
            System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f |%n", table.names.get(r),
                    SegmentationMetrics.pixelAccuracy(table.confusion.get(r)),
                    SegmentationMetrics.meanIoU(table.confusion.get(r)));
        }
        for (int i = 0; i < models.size(); i++) {
            System.out.println("model " + (i + 1) + ": " + models.get(i));
        }
        System.exit(0);
    }

    /** The rows: a name and its confusion matrix each. */
    record Table(List<String> names, List<ConfusionMatrix> confusion) {
    }

    /** Scores every row on {@code data}; see the class comment for the rows. */
    static Table run(List<Predictor> predictors, SampleSource data, int classes, int ignore, List<double[]> shifts) {
        int n = predictors.size();
        List<String> names = new ArrayList<>();
        for (int m = 0; m < n; m++) {
            names.add("model " + (m + 1));
        }
        for (int m = 2; m <= n; m++) {
            names.add("average of models 1-" + m);
        }
        for (double[] s : shifts) {
            names.add(String.format(Locale.ROOT, "average of all, moved %+.2f down, %+.2f right", s[0], s[1]));
        }
        List<ConfusionMatrix> confusion = new ArrayList<>();
        for (int r = 0; r < names.size(); r++) {
            confusion.add(new ConfusionMatrix(classes, ignore));
        }
        for (int i = 0; i < data.size(); i++) {
            Sample sample = data.get(i);
            int h = sample.height();
            int w = sample.width();
            float[] sum = new float[classes * h * w];
            for (int m = 0; m < n; m++) {
                Prediction p = predictors.get(m).predict(sample);
                confusion.get(m).add(p.classMap(), sample.mask());
                addProbabilities(p, sum);
                if (m >= 1) {
                    confusion.get(n + m - 1).add(Prediction.ofLogits(classes, h, w, sum).classMap(), sample.mask());
                }
            }
            for (int s = 0; s < shifts.size(); s++) {
                float[] moved = shift(sum, classes, h, w, shifts.get(s)[0], shifts.get(s)[1]);
                confusion.get(2 * n - 1 + s).add(Prediction.ofLogits(classes, h, w, moved).classMap(),
                        sample.mask());
            }
            System.err.printf(Locale.ROOT, "%d/%d %s%n", i + 1, data.size(), sample.id());
        }
        return new Table(names, confusion);
    }

    /** Adds {@code p}'s {@link Prediction#probabilities()} to {@code sum}. */
    static void addProbabilities(Prediction p, float[] sum) {
        float[] probabilities = p.probabilities();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += probabilities[i];
        }
    }

    /**
     * {@code planes} ({@code K*H*W}) moved by {@code dy, dx} pixels: {@code out(y, x) = in(y - dy, x - dx)},
     * bilinear, with positions outside the image clamped to its edge.
     */
    static float[] shift(float[] planes, int k, int h, int w, double dy, double dx) {
        float[] out = new float[planes.length];
        for (int y = 0; y < h; y++) {
            double sy = Math.min(Math.max(y - dy, 0), h - 1);
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < w; x++) {
                double sx = Math.min(Math.max(x - dx, 0), w - 1);
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                for (int c = 0; c < k; c++) {
                    int base = c * h * w;
                    out[base + y * w + x] = (float) ((1 - fy) * ((1 - fx) * planes[base + y0 * w + x0]
                            + fx * planes[base + y0 * w + x1])
                            + fy * ((1 - fx) * planes[base + y1 * w + x0] + fx * planes[base + y1 * w + x1]));
                }
            }
        }
        return out;
    }

    private static double[] parseShift(String text) {
        String[] p = text.split(",");
        if (p.length != 2) {
            throw new IllegalArgumentException("--shift '" + text + "': give DY,DX in pixels, e.g. -0.5,0");
        }
        return new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])};
    }
}
