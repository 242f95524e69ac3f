package io.segnet.core.graph;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;

import java.util.Arrays;

/**
 * Base of segnet's parameter-free graph vertices (operations with more than one input, or that look at another
 * layer's state). Subclasses are Java beans with a public no-argument constructor; they are stored in the model JSON
 * by class name, fields by name.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public abstract class SegnetVertex extends GraphVertex {

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        InputType out = getOutputType(-1, inputTypes);
        return new LayerMemoryReport.Builder(null, getClass(), inputTypes[0], out).standardMemory(0, 0)
                .workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    @Override
    public GraphVertex clone() {
        // GraphVertex declares clone() abstract; a JSON round trip copies every field of any subclass.
        try {
            var mapper = org.deeplearning4j.nn.conf.NeuralNetConfiguration.mapper();
            return mapper.readValue(mapper.writeValueAsString(this), GraphVertex.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot copy " + this, e);
        }
    }

    /** Validates that every input is a convolutional type; returns them cast. */
    protected InputType.InputTypeConvolutional[] convolutional(InputType... in) {
        InputType.InputTypeConvolutional[] out = new InputType.InputTypeConvolutional[in.length];
        for (int i = 0; i < in.length; i++) {
            if (!(in[i] instanceof InputType.InputTypeConvolutional c)) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": input " + i + " must be an NCHW image"
                        + " tensor (InputType.convolutional), got " + in[i] + " (inputs " + Arrays.toString(in) + ")");
            }
            out[i] = c;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && toString().equals(o.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
