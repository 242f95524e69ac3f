package io.segnet.inference;

import io.segnet.data.Rng;
import io.segnet.data.Sample;
import io.segnet.inference.crf.DenseCrf;
import io.segnet.data.io.ImagePixels;
import io.segnet.data.transform.RandomFlip;
import io.segnet.data.transform.Resize;
import io.segnet.data.transform.Transform;
import io.segnet.models.InputSizeRule;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Predicts class maps of images of any size with a segmentation network: optional preprocessing (the deterministic
 * part of the training pipeline, e.g. {@code Normalize}), then the sliding window and test-time augmentations of a
 * {@link PredictorConfig}, then the arg-max of the averaged logits.
 *
 * <p>Padding: an image (or an image dimension smaller than the tile) is padded at the bottom and right with 0 (after
 * preprocessing, i.e. the normalisation mean) up to a size the network accepts, and the logits are cropped back.
 *
 * <p><b>Thread-safe.</b> DL4J networks are not; a predictor serialises the network calls with a lock (one network
 * call at a time), while preprocessing, tiling, resizing, flipping and averaging run on the calling threads
 * concurrently. For more throughput on a many-core machine, use one predictor per network copy.
 */
public final class Predictor {

    private final InferenceNetwork network;
    private final Transform preprocess;
    private final PredictorConfig config;
    /** The model's input size for an image's size (the trained {@code scale}/{@code resize}), or null: the image's. */
    private final Preprocessing sizing;
    private final float[] tileWeights;
    /** DenseCRF of {@link PredictorConfig#crf()}, or null; immutable, so threads share it. */
    private final DenseCrf crf;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * A predictor.
     *
     * @param network    the network and its input constraints
     * @param preprocess deterministic preprocessing applied to every image (in [0, 1]) before the network, or null
     * @param config     tiling and test-time augmentation
     * @throws IllegalArgumentException if the tile is not a size the network accepts (the message names one that is)
     */
    public Predictor(InferenceNetwork network, Transform preprocess, PredictorConfig config) {
        this(network, preprocess, config, null);
    }

    private Predictor(InferenceNetwork network, Transform preprocess, PredictorConfig config, Preprocessing sizing) {
        this.network = Objects.requireNonNull(network, "network");
        this.sizing = sizing != null && sizing.resizes() ? sizing : null;
        this.preprocess = preprocess == null ? (s, rng) -> s : preprocess;
        this.config = Objects.requireNonNull(config, "config");
        if (config.tiled() && !network.accepts(config.tileHeight(), config.tileWidth())) {
            throw new IllegalArgumentException("tile " + config.tileHeight() + "x" + config.tileWidth()
                    + " is not an input size the model accepts (multiples of " + network.sizeMultiple()
                    + ", at least " + network.minSize() + "); use " + network.padTo(config.tileHeight()) + "x"
                    + network.padTo(config.tileWidth()));
        }
        this.tileWeights = config.tiled() ? weights(config.tileHeight(), config.tileWidth(), config.weighting()) : null;
        this.crf = config.crf() == null ? null : new DenseCrf(config.crf());
    }

    /**
     * A predictor for a segnet model: its logits function, channels and input-size rule, with the preprocessing the
     * model was trained with.
     */
    public static Predictor of(SegmentationModel model, Preprocessing preprocessing, PredictorConfig config) {
        ModelConfig c = model.config();
        InputSizeRule rule = c.inputSizeRule();
        InferenceNetwork network = new InferenceNetwork(LogitsFunction.of(model), c.inChannels(), c.numClasses(),
                rule.multiple(), rule.minimum());
        return new Predictor(network, preprocessing.transform(), config, preprocessing);
    }

    /** The network this predictor runs. */
    public InferenceNetwork network() {
        return network;
    }

    /** The tiling and augmentation settings. */
    public PredictorConfig config() {
        return config;
    }

    /**
     * Predicts one image.
     *
     * @param image values in [0, 1] as read by {@code ImageFiles.readImage}, with the network's channel count
     * @throws IllegalArgumentException if the channel count differs from the network's
     */
    public Prediction predict(ImagePixels image) {
        return predict(new Sample("image", image.channels(), image.height(), image.width(), image.data(), null,
                Sample.DEFAULT_IGNORE));
    }

    /** Predicts the image of a sample (its mask, if any, is not used). */
    public Prediction predict(Sample sample) {
        if (sample.channels() != network.inChannels()) {
            throw new IllegalArgumentException("image '" + sample.id() + "' has " + sample.channels()
                    + " channels but the model takes " + network.inChannels() + "; convert it (for files: read with "
                    + network.inChannels() + " channels, 1 = gray, 3 = RGB)");
        }
        Sample unlabelled = sample.hasMask() ? sample.with(sample.channels(), sample.height(), sample.width(),
                sample.image(), null) : sample;
        Sample x = preprocess.apply(unlabelled, Rng.of(0));
        int h = x.height();
        int w = x.width();
        int k = network.logitChannels();
        float[] sum = new float[k * h * w];
        int passes = 0;
        int[] base = sizing == null ? new int[]{h, w} : sizing.inputSize(h, w); // the size the model was trained at
        for (double scale : config.scales()) {
            Sample scaled = Resize.resize(x, Math.max(1, (int) Math.round(base[0] * scale)),
                    Math.max(1, (int) Math.round(base[1] * scale)));
            List<RandomFlip.Axis> variants = new ArrayList<>();
            variants.add(null);
            if (config.horizontalFlip()) {
                variants.add(RandomFlip.Axis.HORIZONTAL);
            }
            if (config.verticalFlip()) {
                variants.add(RandomFlip.Axis.VERTICAL);
            }
            for (RandomFlip.Axis axis : variants) {
                Sample in = axis == null ? scaled : RandomFlip.flip(scaled, axis);
                Sample logits = new Sample(x.id(), k, in.height(), in.width(), windowed(in), null, Sample.DEFAULT_IGNORE);
                if (axis != null) {
                    logits = RandomFlip.flip(logits, axis);
                }
                logits = Resize.resize(logits, h, w); // back to the image's size (the same sample if it is)
                float[] l = logits.image();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += l[i];
                }
                passes++;
            }
        }
        if (passes > 1) {
            float inv = 1f / passes;
            for (int i = 0; i < sum.length; i++) {
                sum[i] *= inv;
            }
        }
        return Prediction.ofLogits(k, h, w, refined(sample, k, h, w, sum));
    }

    /**
     * This predictor's DenseCRF applied to a prediction of {@code sample} that was made without one (by a predictor
     * with the same network, preprocessing and tiling but no CRF), so that one network pass serves several CRF
     * settings; equals {@link #predict(Sample)} of this predictor.
     *
     * @param sample the image that {@code raw} predicts
     * @param raw    its prediction without CRF ({@code K x H x W} logits)
     * @throws IllegalStateException if this predictor's config has no CRF
     */
    public Prediction refine(Sample sample, Prediction raw) {
        if (crf == null) {
            throw new IllegalStateException("this predictor has no DenseCRF; make it with PredictorConfig.withCrf");
        }
        return Prediction.ofLogits(raw.logitChannels(), raw.height(), raw.width(),
                refined(sample, raw.logitChannels(), raw.height(), raw.width(), raw.logits().clone()));
    }

    /**
     * The logits after DenseCRF, if the config asks for it: the CRF refines the softmax (for one logit channel, the
     * sigmoid and its complement) with the image's own pixels in 0-255 units as its colour feature, and the refined
     * probabilities come back as log-probabilities (for one channel, log-odds), so the class map is their argmax.
     */
    private float[] refined(Sample original, int k, int h, int w, float[] logits) {
        if (crf == null) {
            return logits;
        }
        int n = h * w;
        Sample image = original.height() == h && original.width() == w ? original
                : Resize.resize(original.hasMask() ? original.with(original.channels(), original.height(),
                original.width(), original.image(), null) : original, h, w);
        float[] pixels = image.image().clone();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] *= 255f;
        }
        int classes = k == 1 ? 2 : k;
        float[] q = crf.refine(Prediction.probabilities(k, n, logits), classes, h, w, pixels, image.channels());
        float[] out = new float[k * n];
        for (int i = 0; i < n; i++) {
            if (k == 1) {
                out[i] = (float) (Math.log(Math.max(q[n + i], 1e-30)) - Math.log(Math.max(q[i], 1e-30)));
            } else {
                for (int c = 0; c < k; c++) {
                    out[c * n + i] = (float) Math.log(Math.max(q[c * n + i], 1e-30));
                }
            }
        }
        return out;
    }

    /**
     * Predicts several images. Images of one size that are run whole (no tiling needed) share network calls, up to
     * {@link PredictorConfig#tileBatch()} images per call; the result is the same as {@link #predict(Sample)} on each.
     */
    public List<Prediction> predictAll(List<Sample> samples) {
        List<Prediction> out = new ArrayList<>(samples.size());
        int i = 0;
        while (i < samples.size()) {
            Sample first = samples.get(i);
            int j = i + 1;
            while (j < samples.size() && j - i < config.tileBatch() && sameSize(first, samples.get(j))) {
                j++;
            }
            if (j - i == 1 || !runsWhole(first.height(), first.width()) || config.scales().size() != 1
                    || config.scales().get(0) != 1.0 || sizing != null) {
                for (int k = i; k < j; k++) {
                    out.add(predict(samples.get(k)));
                }
            } else {
                out.addAll(predictWhole(samples.subList(i, j)));
            }
            i = j;
        }
        return out;
    }

    private static boolean sameSize(Sample a, Sample b) {
        return a.channels() == b.channels() && a.height() == b.height() && a.width() == b.width();
    }

    private boolean runsWhole(int h, int w) {
        return !config.tiled() || (h <= config.tileHeight() && w <= config.tileWidth());
    }

    /** Same-size images at scale 1, run whole in one network call per flip variant. */
    private List<Prediction> predictWhole(List<Sample> group) {
        int n = group.size();
        Sample[] pre = new Sample[n];
        for (int i = 0; i < n; i++) {
            Sample s = group.get(i);
            if (s.channels() != network.inChannels()) {
                return group.stream().map(this::predict).toList();
            }
            pre[i] = preprocess.apply(s.hasMask() ? s.with(s.channels(), s.height(), s.width(), s.image(), null) : s,
                    Rng.of(0));
        }
        int c = pre[0].channels();
        int h = pre[0].height();
        int w = pre[0].width();
        int k = network.logitChannels();
        int ph = network.padTo(h);
        int pw = network.padTo(w);
        float[][] sums = new float[n][k * h * w];
        List<RandomFlip.Axis> variants = new ArrayList<>();
        variants.add(null);
        if (config.horizontalFlip()) {
            variants.add(RandomFlip.Axis.HORIZONTAL);
        }
        if (config.verticalFlip()) {
            variants.add(RandomFlip.Axis.VERTICAL);
        }
        for (RandomFlip.Axis axis : variants) {
            float[] batch = new float[n * c * ph * pw];
            for (int i = 0; i < n; i++) {
                Sample in = axis == null ? pre[i] : RandomFlip.flip(pre[i], axis);
                System.arraycopy(pad(in.image(), c, h, w, ph, pw), 0, batch, i * c * ph * pw, c * ph * pw);
            }
            float[] out = run(batch, n, c, ph, pw);
            for (int i = 0; i < n; i++) {
                float[] one = crop(Arrays.copyOfRange(out, i * k * ph * pw, (i + 1) * k * ph * pw), k, ph, pw, h, w);
                if (axis != null) {
                    one = RandomFlip.flip(new Sample("logits", k, h, w, one, null, Sample.DEFAULT_IGNORE), axis).image();
                }
                for (int p = 0; p < one.length; p++) {
                    sums[i][p] += one[p];
                }
            }
        }
        List<Prediction> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (variants.size() > 1) {
                float inv = 1f / variants.size();
                for (int p = 0; p < sums[i].length; p++) {
                    sums[i][p] *= inv;
                }
            }
            result.add(Prediction.ofLogits(k, h, w, refined(group.get(i), k, h, w, sums[i])));
        }
        return result;
    }

    /** Logits {@code K*h*w} of one preprocessed image, whole or by sliding window. */
    float[] windowed(Sample in) {
        int c = in.channels();
        int h = in.height();
        int w = in.width();
        int k = network.logitChannels();
        if (!config.tiled() || (h <= config.tileHeight() && w <= config.tileWidth())) {
            int ph = network.padTo(h);
            int pw = network.padTo(w);
            float[] out = run(pad(in.image(), c, h, w, ph, pw), 1, c, ph, pw);
            return crop(out, k, ph, pw, h, w);
        }
        int th = config.tileHeight();
        int tw = config.tileWidth();
        int ph = Math.max(h, th);
        int pw = Math.max(w, tw);
        float[] image = pad(in.image(), c, h, w, ph, pw);
        int[] ys = positions(ph, th, stride(th));
        int[] xs = positions(pw, tw, stride(tw));
        float[] acc = new float[k * ph * pw];
        float[] weightSum = new float[ph * pw];
        int tilePlane = th * tw;
        int batch = config.tileBatch();
        int total = ys.length * xs.length;
        for (int first = 0; first < total; first += batch) {
            int n = Math.min(batch, total - first);
            float[] tiles = new float[n * c * tilePlane];
            for (int t = 0; t < n; t++) {
                int y0 = ys[(first + t) / xs.length];
                int x0 = xs[(first + t) % xs.length];
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < th; y++) {
                        System.arraycopy(image, ch * ph * pw + (y0 + y) * pw + x0, tiles,
                                (t * c + ch) * tilePlane + y * tw, tw);
                    }
                }
            }
            float[] out = run(tiles, n, c, th, tw);
            for (int t = 0; t < n; t++) {
                int y0 = ys[(first + t) / xs.length];
                int x0 = xs[(first + t) % xs.length];
                for (int y = 0; y < th; y++) {
                    int row = (y0 + y) * pw + x0;
                    for (int x = 0; x < tw; x++) {
                        weightSum[row + x] += tileWeights[y * tw + x];
                    }
                    for (int ch = 0; ch < k; ch++) {
                        int src = (t * k + ch) * tilePlane + y * tw;
                        int dst = ch * ph * pw + row;
                        for (int x = 0; x < tw; x++) {
                            acc[dst + x] += out[src + x] * tileWeights[y * tw + x];
                        }
                    }
                }
            }
        }
        for (int ch = 0; ch < k; ch++) {
            for (int p = 0; p < ph * pw; p++) {
                acc[ch * ph * pw + p] /= weightSum[p];
            }
        }
        return crop(acc, k, ph, pw, h, w);
    }

    private int stride(int tile) {
        return Math.max(1, (int) Math.round(tile * (1 - config.overlap())));
    }

    /** Runs the network on {@code n} images of {@code c x h x w}; returns {@code n*K*h*w} logits. */
    private float[] run(float[] images, int n, int c, int h, int w) {
        int k = network.logitChannels();
        lock.lock();
        try (INDArray x = Nd4j.create(images, new long[]{n, c, h, w}, 'c')) {
            INDArray y = network.function().logits(x);
            long[] expected = {n, k, h, w};
            if (!Arrays.equals(y.shape(), expected)) {
                throw new IllegalStateException("the network returned logits of shape " + Arrays.toString(y.shape())
                        + " for input " + Arrays.toString(x.shape()) + "; expected " + Arrays.toString(expected));
            }
            INDArray flat = y.dataType() == DataType.FLOAT && y.ordering() == 'c' && !y.isView()
                    && y.data().length() == y.length() ? y : y.castTo(DataType.FLOAT).dup('c');
            float[] out = flat.data().asFloat();
            if (flat != y) {
                flat.close();
            }
            if (y != x) {
                network.function().release(y);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Tile origins along an axis of {@code size}: every {@code stride}, the last one flush with the end. */
    static int[] positions(int size, int tile, int stride) {
        if (size <= tile) {
            return new int[]{0};
        }
        List<Integer> p = new ArrayList<>();
        for (int start = 0; start + tile < size; start += stride) {
            p.add(start);
        }
        p.add(size - tile);
        return p.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The {@code th x tw} weight map of a tile. */
    static float[] weights(int th, int tw, PredictorConfig.Weighting weighting) {
        float[] wy = axisWeights(th, weighting);
        float[] wx = axisWeights(tw, weighting);
        float[] out = new float[th * tw];
        for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
                out[y * tw + x] = wy[y] * wx[x];
            }
        }
        return out;
    }

    private static float[] axisWeights(int n, PredictorConfig.Weighting weighting) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            double s = Math.sin(Math.PI * (i + 0.5) / n);
            w[i] = weighting == PredictorConfig.Weighting.UNIFORM ? 1f : (float) (s * s);
        }
        return w;
    }

    private static float[] pad(float[] image, int c, int h, int w, int ph, int pw) {
        if (ph == h && pw == w) {
            return image;
        }
        float[] out = new float[c * ph * pw];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(image, ch * h * w + y * w, out, ch * ph * pw + y * pw, w);
            }
        }
        return out;
    }

    private static float[] crop(float[] maps, int k, int ph, int pw, int h, int w) {
        if (ph == h && pw == w) {
            return maps;
        }
        float[] out = new float[k * h * w];
        for (int ch = 0; ch < k; ch++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(maps, ch * ph * pw + y * pw, out, ch * h * w + y * w, w);
            }
        }
        return out;
    }
}
