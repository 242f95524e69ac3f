package io.segnet.models.weights;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The restricted unpickler behind both {@code torch.save} formats. Every global the pickle names ({@code GLOBAL},
 * {@code STACK_GLOBAL}, {@code INST}) is checked against an allow-list before anything is pushed: tensor rebuilding
 * (which yields a {@link TensorRef} over a {@link StorageRef}, materialised later from the storages), PyTorch's typed
 * storage classes, and {@code collections.OrderedDict}. Dicts keep their insertion order. Anything else fails with an {@link UnsafeCheckpointException}
 * naming the callable.
 */
final class TorchPickle extends Unpickler {

    /**
     * A storage named by a persistent id: the key of the stored storage, its element type and count, and for a legacy
     * storage view the view's element offset into it (else 0).
     */
    record StorageRef(String key, DType dtype, long numel, long viewOffset) {
    }

    /** A tensor to rebuild: a view of {@code storage} at an element offset with sizes and strides (in elements). */
    record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {
    }

    /** A PyTorch storage class, named in persistent ids. */
    private record StorageType(String name, DType dtype) {
    }

    /** {@code collections.OrderedDict} (PyTorch's state_dict type; its {@code _metadata} attribute is dropped). */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        /** BUILD on a state_dict sets its {@code _metadata}; the layer versions are not needed. */
        public void __setstate__(HashMap<?, ?> state) {
            // attributes of the dict (PyTorch's _metadata) carry no tensors
        }

        /** As {@link #__setstate__(HashMap)}, for the ordered dicts this unpickler creates. */
        public void __setstate__(LinkedHashMap<?, ?> state) {
            // attributes of the dict (PyTorch's _metadata) carry no tensors
        }
    }

    private static final IObjectConstructor ORDERED_DICT = args -> {
        OrderedDict d = new OrderedDict();
        if (args.length > 0 && args[0] instanceof List<?> items) {
            for (Object item : items) {
                List<?> kv = item instanceof Object[] tuple ? Arrays.asList(tuple) : (List<?>) item;
                d.put(kv.get(0), kv.get(1));
            }
        }
        return d;
    };

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])} and v1. */
    private static final IObjectConstructor REBUILD_TENSOR = args -> {
        if (args.length < 4 || !(args[0] instanceof StorageRef s)) {
            throw new PickleException("tensor rebuild expects (storage, offset, size, stride, ...), got "
                    + Arrays.deepToString(args));
        }
        return new TensorRef(s, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
    };

    /** {@code _rebuild_parameter(data, requires_grad, hooks)}: an nn.Parameter is its tensor. */
    private static final IObjectConstructor REBUILD_PARAMETER = args -> {
        if (args.length < 1 || !(args[0] instanceof TensorRef t)) {
            throw new PickleException("parameter rebuild expects a tensor, got " + Arrays.deepToString(args));
        }
        return t;
    };

    private static final Map<String, Object> ALLOWED = allowed();

    private static Map<String, Object> allowed() {
        Map<String, Object> m = new HashMap<>();
        m.put("collections.OrderedDict", ORDERED_DICT);
        m.put("torch._utils._rebuild_tensor_v2", REBUILD_TENSOR);
        m.put("torch._utils._rebuild_tensor", REBUILD_TENSOR);
        m.put("torch._utils._rebuild_parameter", REBUILD_PARAMETER);
        m.put("torch._utils._rebuild_parameter_with_state", REBUILD_PARAMETER);
        for (DType t : DType.values()) {
            String name = storageClass(t);
            m.put("torch." + name, new StorageType(name, t));
        }
        return Map.copyOf(m);
    }

    private static String storageClass(DType t) {
        return switch (t) {
            case FLOAT32 -> "FloatStorage";
            case FLOAT64 -> "DoubleStorage";
            case FLOAT16 -> "HalfStorage";
            case BFLOAT16 -> "BFloat16Storage";
            case INT64 -> "LongStorage";
            case INT32 -> "IntStorage";
        };
    }

    private final String source;
    private final Function<Object[], StorageRef> persistentIds;

    /**
     * @param source        file name for messages
     * @param persistentIds turns a persistent id tuple ({@code ('storage', type, key, location, numel, ...)}, with the
     *                      type resolved) into a storage reference
     */
    private TorchPickle(String source, Function<Object[], StorageRef> persistentIds) {
        this.source = source;
        this.persistentIds = persistentIds;
    }

    /** Reads one pickle from {@code in} (leaving the stream after its STOP opcode). */
    static Object load(InputStream in, String source, Function<Object[], StorageRef> persistentIds)
            throws IOException {
        TorchPickle p = new TorchPickle(source, persistentIds);
        try {
            return p.load(in);
        } catch (PickleException e) {
            if (e.getCause() instanceof UnsafeCheckpointException u) {
                throw u;
            }
            throw new IOException(source + ": not a readable PyTorch pickle: " + e.getMessage(), e);
        } catch (ClassCastException | ArrayIndexOutOfBoundsException e) {
            throw new IOException(source + ": not a readable PyTorch pickle: " + e, e);
        }
    }

    /**
     * The persistent id of a {@code torch.save} storage: {@code ('storage', storage_type, key, location, numel)},
     * and in the legacy format a sixth element {@code view_metadata}, {@code None} or
     * {@code (view_key, offset, view_numel)}.
     */
    static StorageRef storageRef(Object[] pid, String source) {
        if (pid.length < 5 || !"storage".equals(pid[0]) || !(pid[1] instanceof StorageType type)) {
            throw new PickleException(source + ": unsupported persistent id " + Arrays.deepToString(pid)
                    + "; expected ('storage', <torch storage class>, key, location, size)");
        }
        String key = String.valueOf(pid[2]);
        long numel = ((Number) pid[4]).longValue();
        if (pid.length > 5 && pid[5] instanceof Object[] view) {
            return new StorageRef(key, type.dtype(), numel, ((Number) view[1]).longValue());
        }
        return new StorageRef(key, type.dtype(), numel, 0);
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] tuple)) {
            throw new PickleException(source + ": unsupported persistent id " + pid);
        }
        return persistentIds.apply(tuple);
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(resolve(String.valueOf(module), String.valueOf(name)));
                return NO_RETURN_VALUE;
            }
            case Opcodes.EMPTY_DICT -> {
                stack.add(new LinkedHashMap<>()); // Python dicts keep insertion order; state_dict order matters
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEMS -> {
                setItemsInOrder();
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                throw refuse(module + "." + name);
            }
            default -> {
                return super.dispatch(key);
            }
        }
    }

    /** SETITEMS keeping the pickle's order (razorvine's own collects the pairs in a HashMap first). */
    @SuppressWarnings("unchecked")
    private void setItemsInOrder() {
        List<Object> items = stack.pop_all_since_marker();
        Object target = stack.peek();
        if (!(target instanceof Map<?, ?>)) {
            throw new PickleException(source + ": SETITEMS on a " + target.getClass().getSimpleName());
        }
        Map<Object, Object> dict = (Map<Object, Object>) target;
        for (int i = 0; i + 1 < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
        }
    }

    private Object resolve(String module, String name) {
        String qualified = module + "." + name;
        Object allowed = ALLOWED.get(qualified);
        if (allowed == null) {
            throw refuse(qualified);
        }
        return allowed;
    }

    private PickleException refuse(String callable) {
        return new PickleException(callable, new UnsafeCheckpointException(source, callable));
    }

    private static long[] longs(Object tuple) {
        if (tuple instanceof Object[] a) {
            long[] out = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = ((Number) a[i]).longValue();
            }
            return out;
        }
        throw new PickleException("expected a tuple of sizes or strides, got " + tuple);
    }
}
