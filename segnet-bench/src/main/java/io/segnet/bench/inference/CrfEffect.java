package io.segnet.bench.inference;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.inference.Prediction;
import io.segnet.inference.Predictor;
import io.segnet.inference.PredictorConfig;
import io.segnet.inference.Preprocessing;
import io.segnet.inference.crf.DenseCrfConfig;
import io.segnet.metrics.BoundaryEvaluator;
import io.segnet.metrics.ConfusionMatrix;
import io.segnet.metrics.SegmentationMetrics;
import io.segnet.models.SegmentationModel;
import io.segnet.train.checkpoint.Checkpoint;
import io.segnet.train.checkpoint.TrainingMetadata;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The effect of the DenseCRF on a trained model's held-out images: mean IoU, pixel accuracy, the trimap mean IoU and
 * the boundary F1 of {@link BoundaryEvaluator}, and the time per image, without and with each CRF setting given. The
 * network runs once per image; every CRF refines those same logits ({@link Predictor#refine}), so the rows differ by
 * the CRF alone.
 *
 * <pre>
 * java -cp segnet-cli/target/segnet.jar io.segnet.bench.inference.CrfEffect --model runs/membrane/best.zip --membrane
 *     [--crf default] [--crf ITERATIONS,W1,THETA_ALPHA,THETA_BETA,W2,THETA_GAMMA ...] [--tolerance 3]
 *     [--tile 256x256] [--flip]
 * java -cp ... CrfEffect --model best.zip --images DIR --masks DIR --num-classes 59 [--first N] [--count N] ...
 * </pre>
 *
 * Data and tiles as {@link HeldOutImages} reads them. Times: wall milliseconds per image on the calling thread (the
 * CRF's loops also use the fork-join pool), median over the images. Prints one Markdown table.
 */
public final class CrfEffect {

    private CrfEffect() {
    }

    /** Runs the comparison; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        Path model = null;
        int tolerance = 3;
        List<DenseCrfConfig> crfs = new ArrayList<>();
        HeldOutImages data = new HeldOutImages();
        for (int i = 0; i < args.length; i++) {
            int read = data.read(args, i);
            if (read > 0) {
                i += read - 1;
                continue;
            }
            switch (args[i]) {
                case "--model" -> model = Path.of(args[++i]);
                case "--tolerance" -> tolerance = Integer.parseInt(args[++i]);
                case "--crf" -> crfs.add(parseCrf(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; see the Javadoc of "
                        + CrfEffect.class.getName());
            }
        }
        if (model == null || !data.complete()) {
            throw new IllegalArgumentException("give --model and either --membrane or --images/--masks/--num-classes");
        }
        if (crfs.isEmpty()) {
            crfs.add(DenseCrfConfig.defaults());
        }
        Checkpoint.Contents contents = Checkpoint.load(model);
        SegmentationModel network = contents.model();
        Preprocessing preprocessing = contents.metadata().map(TrainingMetadata::preprocessing)
                .orElse(Preprocessing.none());
        run(network, preprocessing, data.inference(), data.open(), crfs, tolerance);
        System.exit(0);
    }

    /** {@code default} or {@code iterations,w1,theta_alpha,theta_beta,w2,theta_gamma}. */
    static DenseCrfConfig parseCrf(String text) {
        if (text.equals("default")) {
            return DenseCrfConfig.defaults();
        }
        String[] p = text.split(",");
        if (p.length != 6) {
            throw new IllegalArgumentException("--crf '" + text + "': give default or ITERATIONS,W1,THETA_ALPHA,"
                    + "THETA_BETA,W2,THETA_GAMMA, e.g. 5,4,67,3,3,3");
        }
        return new DenseCrfConfig(Integer.parseInt(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]),
                Double.parseDouble(p[3]), Double.parseDouble(p[4]), Double.parseDouble(p[5]));
    }

    private static void run(SegmentationModel model, Preprocessing preprocessing, PredictorConfig inference,
                            SampleSource data, List<DenseCrfConfig> crfs, int tolerance) {
        int k = model.config().numClasses() == 1 ? 2 : model.config().numClasses();
        int ignore = model.config().loss().ignoreIndex();
        Predictor plain = Predictor.of(model, preprocessing, inference);
        List<Predictor> refiners = new ArrayList<>();
        for (DenseCrfConfig c : crfs) {
            refiners.add(Predictor.of(model, preprocessing, inference.withCrf(c)));
        }
        int rows = crfs.size() + 1;
        ConfusionMatrix[] confusion = new ConfusionMatrix[rows];
        BoundaryEvaluator[] boundary = new BoundaryEvaluator[rows];
        double[][] ms = new double[rows][data.size()];
        for (int r = 0; r < rows; r++) {
            confusion[r] = new ConfusionMatrix(k, ignore);
            boundary[r] = new BoundaryEvaluator(k, ignore, tolerance);
        }
        for (int i = 0; i < data.size(); i++) {
            Sample s = data.get(i);
            long t = System.nanoTime();
            Prediction raw = plain.predict(s);
            ms[0][i] = (System.nanoTime() - t) / 1e6;
            score(raw, s, confusion[0], boundary[0]);
            for (int r = 1; r < rows; r++) {
                t = System.nanoTime();
                Prediction refined = refiners.get(r - 1).refine(s, raw);
                ms[r][i] = (System.nanoTime() - t) / 1e6;
                score(refined, s, confusion[r], boundary[r]);
            }
            System.err.printf(Locale.ROOT, "%d/%d %s%n", i + 1, data.size(), s.id());
        }
        System.out.printf(Locale.ROOT, "%d images, boundary tolerance %d px%n%n", data.size(), tolerance);
        System.out.println("| CRF (iterations, w1, theta_alpha, theta_beta, w2, theta_gamma) | mIoU | pixel acc."
                + " | trimap mIoU | boundary F1 | ms/image |");
        System.out.println("|---|---|---|---|---|---|");
        for (int r = 0; r < rows; r++) {
            String name = r == 0 ? "none (network only; ms = network)" : describe(crfs.get(r - 1)) + " (ms = CRF)";
            System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.0f |%n", name,
                    SegmentationMetrics.meanIoU(confusion[r]), SegmentationMetrics.pixelAccuracy(confusion[r]),
                    boundary[r].trimapMeanIoU(), boundary[r].boundaryF1(), median(ms[r]));
        }
    }

    private static void score(Prediction p, Sample s, ConfusionMatrix confusion, BoundaryEvaluator boundary) {
        confusion.add(p.classMap(), s.mask());
        boundary.update(p.classMap(), s.mask(), s.height(), s.width());
    }

    private static String describe(DenseCrfConfig c) {
        return String.format(Locale.ROOT, "%d, %s, %s, %s, %s, %s", c.iterations(), num(c.appearanceWeight()),
                num(c.thetaAlpha()), num(c.thetaBeta()), num(c.smoothnessWeight()),
                num(c.thetaGamma()));
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s[s.length / 2];
    }
}
