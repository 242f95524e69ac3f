package io.segnet.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An architecture's graph configuration and the roles of its outputs. Every output is a {@code SegmentationLoss}
 * layer whose activations are logits {@code [N, numClasses, H, W]} at the input size; the model's logits are the
 * average of the {@code logits} outputs (one output, or UNet++'s deep-supervision heads), and the {@code auxiliary}
 * outputs (PSPNet's auxiliary head) only add to the training loss. The graph's outputs are {@code logits} then
 * {@code auxiliary}, in that order.
 *
 * @param configuration the DL4J graph configuration (built, with input types)
 * @param logits        names of the outputs averaged into the model's logits (at least one)
 * @param auxiliary     names of training-only outputs (may be empty)
 */
public record ModelGraph(ComputationGraphConfiguration configuration, List<String> logits, List<String> auxiliary) {

    public ModelGraph {
        Objects.requireNonNull(configuration, "configuration");
        logits = List.copyOf(logits);
        auxiliary = List.copyOf(auxiliary);
        if (logits.isEmpty()) {
            throw new IllegalArgumentException("ModelGraph: a model needs at least one logits output");
        }
        List<String> all = new ArrayList<>(logits);
        all.addAll(auxiliary);
        if (!configuration.getNetworkOutputs().equals(all)) {
            throw new IllegalArgumentException("ModelGraph: the graph's outputs " + configuration.getNetworkOutputs()
                    + " are not the logits " + logits + " followed by the auxiliary outputs " + auxiliary);
        }
    }

    /** All outputs in graph order: logits, then auxiliary. */
    public List<String> outputs() {
        List<String> all = new ArrayList<>(logits);
        all.addAll(auxiliary);
        return all;
    }
}
