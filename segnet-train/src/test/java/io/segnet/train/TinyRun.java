package io.segnet.train;

import io.segnet.data.dataset.Split;
import io.segnet.data.m2nist.M2nistConfig;
import io.segnet.data.m2nist.M2nistGenerator;
import io.segnet.data.m2nist.MnistDigits;
import io.segnet.data.transform.RandomFlip;
import io.segnet.inference.Preprocessing;
import io.segnet.models.LossConfig;
import io.segnet.models.ModelConfig;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.unet.UNetConfig;

import java.util.List;

/** A tiny model and data set for training tests: 28x28 one-digit M2NIST, a U-Net of width 4 and depth 1. */
final class TinyRun {

    private TinyRun() {
    }

    /** 16 training and 8 validation images. */
    static TrainingData data() {
        Split<M2nistGenerator> split = M2nistGenerator.split(7, 16, 8, 0.2, new M2nistConfig(28, 28, 1, 1, 0),
                MnistDigits.testSet());
        return TrainingData.of(split.train(), RandomFlip.horizontal(0.5), split.validation(),
                Preprocessing.normalize(0.1, 0.3));
    }

    static ModelConfig model() {
        return new UNetConfig(1, 11, 28, 28, new SmallEncoderConfig(4, 1, true), Upsampling.TRANSPOSED, true,
                List.of(), LossConfig.crossEntropy());
    }

    /** Batches of 4 (4 iterations per epoch), Adam 1e-2 with poly decay, no bar, a step record per iteration. */
    static TrainerConfig config(int epochs) {
        return TrainerConfig.defaults().withEpochs(epochs).withBatchSize(4).withOptimizer(OptimizerType.ADAM, 1e-2)
                .withReporting(false, 1).withSeed(3);
    }
}
