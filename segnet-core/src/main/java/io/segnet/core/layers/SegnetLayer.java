package io.segnet.core.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Base of every segnet layer configuration: a DL4J layer config (usable in a {@code ComputationGraph}, stored in the
 * model JSON by class name) whose runtime calls native ops or segnet's kernels on whole NCHW tensors.
 *
 * <p>A subclass declares its parameters ({@link #paramSpecs()}), its output type for a given input type, and creates
 * its runtime layer. Subclasses are Java beans with a public no-argument constructor: renaming one or its fields
 * breaks saved models.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public abstract class SegnetLayer extends org.deeplearning4j.nn.conf.layers.BaseLayer {

    protected SegnetLayer() {
    }

    /** The parameter arrays, in the order they occupy the flat parameter vector (empty for parameter-free layers). */
    public abstract List<ParamSpec> paramSpecs();

    /**
     * Output type for a convolutional input type; validates the input (channels, minimum size) with a message that
     * names this layer.
     */
    protected abstract InputType outputType(InputType.InputTypeConvolutional in);

    /** Creates the runtime layer. */
    protected abstract org.deeplearning4j.nn.api.Layer createRuntime(NeuralNetConfiguration conf, DataType dataType);

    /** "Conv2D 'decoder.block1.conv1'", for error messages. */
    public String describe() {
        return getClass().getSimpleName() + " '" + (layerName == null ? "(unnamed)" : layerName) + "'";
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        org.deeplearning4j.nn.api.Layer ret = createRuntime(conf, networkDataType);
        ret.setListeners(trainingListeners);
        ret.setIndex(layerIndex);
        if (layerParamsView != null && layerParamsView.length() > 0) {
            Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
            ret.setParamTable(params);
            ret.setParamsViewArray(layerParamsView);
        }
        ret.setConf(conf);
        return ret;
    }

    @Override
    public ParamInitializer initializer() {
        return SegnetParamInitializer.INSTANCE;
    }

    /**
     * Input channels this layer requires: a positive count, 0 while not yet known (taken from the graph's input type),
     * or -1 for layers that accept any channel count (the default).
     */
    public long expectedChannels() {
        return -1;
    }

    /** Sets the input channel count taken from the graph; only called on layers whose {@link #expectedChannels()} is not -1. */
    protected void setExpectedChannels(long channels) {
        throw new UnsupportedOperationException(describe() + " has no input channel count");
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c)) {
            throw new IllegalArgumentException(describe() + " takes NCHW image tensors (InputType.convolutional), got "
                    + inputType);
        }
        long expected = expectedChannels();
        require(expected <= 0 || c.getChannels() == expected, "expected " + expected + " input channels, the graph"
                + " gives " + c.getChannels());
        return outputType(c);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        long expected = expectedChannels();
        if (expected >= 0 && inputType instanceof InputType.InputTypeConvolutional c && (expected == 0 || override)) {
            setExpectedChannels(c.getChannels());
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        for (ParamSpec s : paramSpecs()) {
            if (s.name().equals(paramName) && !s.trainable()) {
                return new NoOp();
            }
        }
        return super.getUpdaterByParam(paramName);
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        List<Regularization> r = super.getRegularizationByParam(paramName);
        return r == null ? List.of() : r;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, out)
                .standardMemory(params, params).workingMemory(0, 0, MemoryReport.CACHE_MODE_ALL_ZEROS,
                        MemoryReport.CACHE_MODE_ALL_ZEROS).cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS,
                        MemoryReport.CACHE_MODE_ALL_ZEROS).build();
    }

    /** Throws with a message naming this layer if {@code ok} is false. */
    protected void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(describe() + ": " + problem);
        }
    }
}
