package io.segnet.train;

import io.segnet.core.layers.BatchNorm;
import io.segnet.models.weights.EncoderWeights;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The encoder of a fine-tuned model ({@link TrainerConfig#freezeEncoderEpochs()},
 * {@link TrainerConfig#encoderLrScale()}): the layers under the {@code encoder} scope, which every segnet architecture
 * builds its encoder in. Their optimiser runs on {@link TrainerConfig#encoderUpdater}'s schedule (0 while frozen, then
 * scaled); while frozen their batch norm layers also normalise with, and keep, the running statistics
 * ({@link BatchNorm#frozenStatistics}), so a frozen epoch leaves every encoder parameter and statistic bit for bit
 * unchanged. (PyTorch's {@code requires_grad = False} alone would still update the running statistics in training
 * mode; segnet freezes them as timm's {@code freeze} and mmsegmentation's {@code frozen_stages} do, so that the
 * decoder trains on the features the imported encoder computes at inference.)
 *
 * <p>A learning rate of 0 alone is not enough: libnd4j's Adam replaces a step size of 0 by epsilon, so it would still
 * move the weights by about 1e-8 per step. While frozen, the encoder's gradients are therefore also zeroed before the
 * optimiser sees them ({@link #install}), which keeps its moments at 0 and its step at exactly 0.
 */
final class EncoderFreezing {

    private EncoderFreezing() {
    }

    /** Whether the layer or vertex {@code name} belongs to the encoder. */
    static boolean inEncoder(String name) {
        return name.startsWith(EncoderWeights.SCOPE + ".");
    }

    /**
     * Requires at least one layer under the encoder scope.
     *
     * @throws IllegalArgumentException naming the settings otherwise
     */
    static void requireEncoder(ComputationGraph graph) {
        for (Layer layer : graph.getLayers()) {
            if (inEncoder(layer.conf().getLayer().getLayerName())) {
                return;
            }
        }
        throw new IllegalArgumentException("freezeEncoderEpochs / encoderLrScale need a model with layers under '"
                + EncoderWeights.SCOPE + ".', and this graph has none; set them to 0 and 1");
    }

    /**
     * Adds a listener to {@code graph} that zeroes the encoder's gradients before every optimiser step of an epoch
     * before {@code freezeEncoderEpochs} (the graph's epoch count decides); returns it for {@link #uninstall}.
     */
    static TrainingListener install(ComputationGraph graph, int freezeEncoderEpochs) {
        TrainingListener mask = new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                if (graph.getConfiguration().getEpochCount() >= freezeEncoderEpochs) {
                    return;
                }
                for (Layer layer : graph.getLayers()) {
                    INDArray g = layer.getGradientsViewArray();
                    if (g != null && inEncoder(layer.conf().getLayer().getLayerName())) {
                        g.assign(0);
                    }
                }
            }
        };
        graph.addListeners(mask);
        return mask;
    }

    /** Removes a listener that {@link #install} added. */
    static void uninstall(ComputationGraph graph, TrainingListener mask) {
        List<TrainingListener> rest = new ArrayList<>(graph.getListeners());
        rest.remove(mask);
        graph.setListeners(rest);
    }

    /**
     * Puts the encoder's batch norm layers on their running statistics for an epoch before
     * {@code freezeEncoderEpochs}, back on batch statistics from then on.
     */
    static void setEpoch(ComputationGraph graph, int freezeEncoderEpochs, int epoch) {
        boolean frozen = epoch < freezeEncoderEpochs;
        for (Layer layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNorm bn && inEncoder(bn.getLayerName())) {
                bn.frozenStatistics(frozen);
            }
        }
    }
}
