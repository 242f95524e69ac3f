package io.segnet.models.weights;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One segnet parameter and the PyTorch state_dict key that holds its value.
 *
 * @param torchKey          the key, without a wrapper prefix ({@code layer1.0.conv1.weight})
 * @param layer             segnet's layer ({@code encoder.layer1.block0.conv1.conv})
 * @param param             the layer's parameter ({@code W})
 * @param inputChannelOrder null when the value is taken as it is; else, for a convolution weight
 *                          {@code [out, in, kH, kW]} whose input is a concatenation that PyTorch orders differently,
 *                          segnet's input channel {@code c} is PyTorch's input channel {@code inputChannelOrder[c]}
 */
record ParamKey(String torchKey, String layer, String param, int[] inputChannelOrder) {

    /** A parameter taken as it is. */
    ParamKey(String torchKey, String layer, String param) {
        this(torchKey, layer, param, null);
    }

    /** {@code layer/param}, segnet's name in reports. */
    String segnetName() {
        return layer + "/" + param;
    }

    /** The checkpoint's value (in PyTorch's layout and channel order) as segnet's parameter value. */
    INDArray toSegnet(INDArray value) {
        if (inputChannelOrder == null) {
            return value;
        }
        if (value.rank() != 4 || value.size(1) != inputChannelOrder.length) {
            throw new IllegalStateException("cannot reorder the input channels of '" + torchKey + "' "
                    + java.util.Arrays.toString(value.shape()) + " by an order of " + inputChannelOrder.length);
        }
        INDArray out = Nd4j.createUninitialized(value.dataType(), value.shape());
        INDArrayIndex all = NDArrayIndex.all();
        for (int c = 0; c < inputChannelOrder.length; c++) {
            out.get(all, NDArrayIndex.point(c), all, all).assign(
                    value.get(all, NDArrayIndex.point(inputChannelOrder[c]), all, all));
        }
        return out;
    }
}
