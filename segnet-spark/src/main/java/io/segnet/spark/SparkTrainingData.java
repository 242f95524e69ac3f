package io.segnet.spark;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.data.dataset.DatasetConfig;
import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.data.transform.Augmentation;
import io.segnet.inference.Preprocessing;
import io.segnet.spark.SparkEvaluation.ImageMask;
import io.segnet.train.TrainingData;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The data of a distributed training run, by URI: the driver sends this description to the workers, and every
 * machine reads only the files of the batches it fits.
 *
 * @param train         training images and masks
 * @param validation    validation images and masks (scored on the driver after every epoch), or null for none
 * @param dataset       how masks are read (format, classes, ignore value, channels)
 * @param augmentation  random training transforms
 * @param preprocessing deterministic preprocessing of every image
 */
public record SparkTrainingData(List<ImageMask> train, List<ImageMask> validation, DatasetConfig dataset,
                                Augmentation augmentation, Preprocessing preprocessing) implements Serializable {

    /** Checks and copies the parts. */
    public SparkTrainingData {
        train = List.copyOf(train);
        if (train.isEmpty()) {
            throw new IllegalArgumentException("the training set is empty");
        }
        validation = validation == null ? null : List.copyOf(validation);
        Objects.requireNonNull(dataset, "dataset");
        augmentation = augmentation == null ? Augmentation.none() : augmentation;
        Objects.requireNonNull(preprocessing, "preprocessing (Preprocessing.none() for none)");
    }

    /**
     * The {@link TrainingData} of this description on this machine: samples read on demand from their URIs.
     *
     * @param sizeMultiple what the model's input sizes must be a multiple of (crops are padded to it)
     */
    public TrainingData toTrainingData(Configuration conf, int sizeMultiple) {
        SampleSource val = validation == null || validation.isEmpty() ? null : new UriSource(validation, dataset, conf);
        return TrainingData.of(new UriSource(train, dataset, conf), augmentation.transform(sizeMultiple), val,
                preprocessing);
    }

    /** Labelled samples read from URIs one at a time, through {@link SegmentationDataset}'s decoding and checks. */
    static final class UriSource implements SampleSource {
        private final List<ImageMask> pairs;
        private final DatasetConfig config;
        private final Configuration conf;

        UriSource(List<ImageMask> pairs, DatasetConfig config, Configuration conf) {
            this.pairs = List.copyOf(pairs);
            this.config = config;
            this.conf = conf;
        }

        @Override
        public int size() {
            return pairs.size();
        }

        @Override
        public Sample get(int index) {
            ImageMask p = pairs.get(index);
            try (HadoopFiles.Local image = HadoopFiles.local(p.image(), conf);
                 HadoopFiles.Local mask = HadoopFiles.local(p.mask(), conf)) {
                return SegmentationDataset.ofPairs(List.of(new SegmentationDataset.Pair(p.stem(), image.path(),
                        mask.path())), config).get(0);
            } catch (IOException e) {
                throw new UncheckedIOException(p.image() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String id(int index) {
            return pairs.get(index).stem();
        }

        @Override
        public int numClasses() {
            return config.numClasses();
        }

        @Override
        public List<String> classNames() {
            return config.classNames();
        }
    }
}
