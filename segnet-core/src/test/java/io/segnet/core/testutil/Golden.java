package io.segnet.core.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One golden case written by {@code src/test/python/make_goldens.py}: PyTorch's tensors (float64) and attributes.
 */
public final class Golden {
    private final JsonNode root;
    private final String name;

    private Golden(String name, JsonNode root) {
        this.name = name;
        this.root = root;
    }

    /** Loads {@code goldens/<name>.json} from the test class path. */
    public static Golden load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/goldens/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file goldens/" + name + ".json; run "
                        + "segnet-core/src/test/python/make_goldens.py");
            }
            return new Golden(name, new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public boolean has(String tensor) {
        return root.path("tensors").has(tensor);
    }

    /** Tensor {@code key} in the given precision. */
    public INDArray tensor(String key, DataType type) {
        JsonNode t = root.path("tensors").path(key);
        if (t.isMissingNode()) {
            throw new IllegalArgumentException("golden " + name + " has no tensor " + key);
        }
        long[] shape = new long[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.get("shape").get(i).asLong();
        }
        double[] data = new double[t.get("data").size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = t.get("data").get(i).asDouble();
        }
        INDArray a = shape.length == 0 ? Nd4j.scalar(data[0]) : Nd4j.create(data, shape, 'c');
        return a.castTo(type);
    }

    public double scalar(String key) {
        return tensor(key, DataType.DOUBLE).getDouble(0);
    }

    public int intAttr(String key) {
        return root.path("attrs").path(key).asInt();
    }

    public double doubleAttr(String key) {
        return root.path("attrs").path(key).asDouble();
    }

    public boolean boolAttr(String key) {
        return root.path("attrs").path(key).asBoolean();
    }

    public JsonNode attr(String key) {
        return root.path("attrs").path(key);
    }
}
