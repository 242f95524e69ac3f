package io.segnet.spark;

import io.segnet.data.dataset.DatasetConfig;
import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.data.io.ImageFiles;
import io.segnet.inference.Evaluation;
import io.segnet.inference.Predictor;
import io.segnet.inference.PredictorConfig;
import io.segnet.metrics.MetricConfig;
import io.segnet.metrics.MetricReport;
import io.segnet.metrics.SegmentationEvaluator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluation on Spark: each partition predicts its images (as {@link Evaluation#run}: tiling and test-time
 * augmentation of the {@link PredictorConfig}) and counts them into its own {@link SegmentationEvaluator}; Spark
 * merges the evaluators in a tree. The confusion matrix holds long counts, so the merged report equals the
 * single-machine report exactly, whatever the partitioning (with {@code Reduction.IMAGEWISE}, the per-image means
 * are sums of doubles and may differ in the last bits with the order of the merge).
 */
public final class SparkEvaluation {

    private SparkEvaluation() {
    }

    /**
     * An image and its mask, by URI (any Hadoop file system).
     *
     * @param stem  the sample id (the image's name without extension)
     * @param image the image file
     * @param mask  the mask file
     */
    public record ImageMask(String stem, String image, String mask) implements Serializable {
    }

    /**
     * The image/mask pairs of two folders, paired by stem and mask suffix as {@link SegmentationDataset#fromFolders}
     * pairs them (local folders are listed by it, with all its checks).
     *
     * @throws IllegalArgumentException naming every image without a mask
     */
    public static List<ImageMask> pairs(String imageDir, String maskDir, DatasetConfig config, Configuration conf)
            throws IOException {
        if (HadoopFiles.isLocal(imageDir) && HadoopFiles.isLocal(maskDir)) {
            return SegmentationDataset.fromFolders(HadoopFiles.localPath(imageDir), HadoopFiles.localPath(maskDir),
                    config).pairs().stream().map(p -> new ImageMask(p.stem(), p.image().toString(),
                    p.mask().toString())).toList();
        }
        Map<String, String> masks = new HashMap<>();
        for (String m : HadoopFiles.images(maskDir, conf)) {
            String stem = ImageFiles.stem(Path.of(HadoopFiles.name(m)));
            if (stem.endsWith(config.maskSuffix())) {
                masks.put(stem.substring(0, stem.length() - config.maskSuffix().length()), m);
            }
        }
        List<ImageMask> pairs = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String img : HadoopFiles.images(imageDir, conf)) {
            String stem = ImageFiles.stem(Path.of(HadoopFiles.name(img)));
            String mask = masks.get(stem);
            if (mask == null) {
                missing.add(img);
            } else {
                pairs.add(new ImageMask(stem, img, mask));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing.size() + " images have no mask named <stem>"
                    + config.maskSuffix() + ".<ext> in " + maskDir + ", e.g. " + missing.get(0)
                    + "; add the masks, or remove the images");
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException(imageDir + " holds no image files (" + ImageFiles.EXTENSIONS + ")");
        }
        pairs.sort(java.util.Comparator.comparing(ImageMask::stem, io.segnet.data.dataset.NaturalOrder.INSTANCE));
        return pairs;
    }

    /**
     * Predicts and scores every pair with the model {@code modelUri}. A partition that fails (an unreadable file)
     * fails the job with a {@code SparkException} whose message names the file and the fix.
     *
     * @param pairs     the labelled images
     * @param dataset   how masks are read (format, classes, ignore value, channels)
     * @param predictor tiling and test-time augmentation
     * @param metrics   class names, ignore value and reduction of the report
     */
    public static MetricReport run(JavaSparkContext sc, String modelUri, JavaRDD<ImageMask> pairs,
                                   DatasetConfig dataset, PredictorConfig predictor, MetricConfig metrics)
            throws IOException {
        return evaluator(sc, modelUri, pairs, dataset, predictor, metrics).report();
    }

    /** As {@link #run}, returning the merged evaluator. */
    public static SegmentationEvaluator evaluator(JavaSparkContext sc, String modelUri, JavaRDD<ImageMask> pairs,
                                                  DatasetConfig dataset, PredictorConfig predictor,
                                                  MetricConfig metrics) throws IOException {
        SparkModel model = SparkModel.read(modelUri, sc.hadoopConfiguration());
        Broadcast<SparkModel> shared = sc.broadcast(model);
        Broadcast<SerializableConfiguration> hadoop = sc.broadcast(
                new SerializableConfiguration(sc.hadoopConfiguration()));
        try {
            return pairs.mapPartitions(part -> {
                Predictor p = shared.value().load().predictor(predictor);
                List<ImageMask> mine = new ArrayList<>();
                part.forEachRemaining(mine::add);
                SegmentationEvaluator eval = mine.isEmpty() ? new SegmentationEvaluator(metrics)
                        : Evaluation.evaluator(p, new SparkTrainingData.UriSource(mine, dataset, hadoop.value().value()), metrics,
                        1, null);
                return List.of(eval).iterator();
            }).treeReduce(SegmentationEvaluator::merge);
        } finally {
            shared.destroy();
            hadoop.destroy();
        }
    }
}
