package io.segnet.models.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A checkpoint's tensors by name, in file order: PyTorch's {@code state_dict} read in pure Java. Read one with
 * {@link #read}, which recognises the format by content ({@link CheckpointFormat}): {@code torch.save}'s zip and
 * legacy formats, and safetensors.
 *
 * <p>Where the pickle holds more than a state_dict (a training checkpoint such as
 * {@code {"epoch": 3, "state_dict": {...}}}), the tensors of its {@code state_dict}, {@code model_state_dict},
 * {@code model} or {@code state} entry are taken; failing those, every tensor in the nested dicts, named by its dotted
 * path. Non-tensor values are skipped. The pickle may only name tensor rebuilding, torch storage types and
 * {@code collections.OrderedDict}; anything else is refused ({@link UnsafeCheckpointException}) without running it.
 */
public final class StateDict {
    private static final List<String> WRAPPER_KEYS = List.of("state_dict", "model_state_dict", "model", "state");

    private final Map<String, Tensor> tensors;
    private final CheckpointFormat format;

    /** A state dict of {@code tensors} (copied, order kept) read from a file of {@code format}. */
    public StateDict(Map<String, Tensor> tensors, CheckpointFormat format) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.format = Objects.requireNonNull(format, "format");
    }

    /**
     * Reads a PyTorch checkpoint ({@code .pth}, {@code .pt}, {@code .bin}, {@code .ckpt}) or a safetensors file.
     *
     * @throws NoSuchFileException        if the file does not exist
     * @throws UnsafeCheckpointException  if the pickle names a callable other than tensor rebuilding and collections
     * @throws IOException                if the file is not a readable checkpoint (the message says why)
     */
    public static StateDict read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no checkpoint file there");
        }
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        Map<String, ByteBuffer> storages = new HashMap<>();
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            Object root = TorchZipReader.readPickle(file, storages);
            return new StateDict(tensors(root, storages, file.toString()), CheckpointFormat.TORCH_ZIP);
        }
        if (TorchLegacyReader.looksLegacy(head, n)) {
            Object root = TorchLegacyReader.readPickle(file, storages);
            return new StateDict(tensors(root, storages, file.toString()), CheckpointFormat.TORCH_LEGACY);
        }
        if (n >= 9 && head[8] == '{') {
            return new StateDict(SafetensorsReader.read(file), CheckpointFormat.SAFETENSORS);
        }
        throw new IOException(file + " is neither a torch.save checkpoint (zip or legacy format) nor a safetensors"
                + " file; its first bytes are " + hex(head, n));
    }

    /** The tensors by name, in file order (unmodifiable). */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The tensor {@code name}, or null. */
    public Tensor get(String name) {
        return tensors.get(name);
    }

    /** Number of tensors. */
    public int size() {
        return tensors.size();
    }

    /** The format the tensors were read from. */
    public CheckpointFormat format() {
        return format;
    }

    private static Map<String, Tensor> tensors(Object root, Map<String, ByteBuffer> storages, String source)
            throws IOException {
        Object dict = root;
        while (dict instanceof Map<?, ?> m && !hasTensors(m)) {
            Object inner = null;
            for (String k : WRAPPER_KEYS) {
                if (m.get(k) instanceof Map<?, ?> candidate) {
                    inner = candidate;
                    break;
                }
            }
            if (inner == null) {
                break;
            }
            dict = inner;
        }
        if (!(dict instanceof Map<?, ?>)) {
            throw new IOException(source + ": the checkpoint holds a " + (root == null ? "None" : describe(root))
                    + ", not a dict of tensors (a state_dict)");
        }
        Map<String, TorchPickle.TensorRef> refs = new LinkedHashMap<>();
        collect("", dict, refs);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TorchPickle.TensorRef> e : refs.entrySet()) {
            TorchPickle.StorageRef s = e.getValue().storage();
            ByteBuffer bytes = storages.get(s.key());
            if (bytes == null) {
                throw new IOException(source + ": storage '" + s.key() + "' of tensor '" + e.getKey()
                        + "' is missing from the file");
            }
            out.put(e.getKey(), TensorGather.gather(e.getValue(), bytes, e.getKey(), source));
        }
        return out;
    }

    private static boolean hasTensors(Map<?, ?> m) {
        for (Object v : m.values()) {
            if (v instanceof TorchPickle.TensorRef) {
                return true;
            }
        }
        return false;
    }

    private static void collect(String prefix, Object value, Map<String, TorchPickle.TensorRef> out) {
        if (value instanceof TorchPickle.TensorRef t) {
            out.put(prefix, t);
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                collect(prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collect(prefix.isEmpty() ? String.valueOf(i) : prefix + "." + i, list.get(i), out);
            }
        } else if (value instanceof Object[] tuple) {
            collect(prefix, Arrays.asList(tuple), out);
        }
    }

    private static String describe(Object o) {
        return o.getClass().getSimpleName();
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, 8); i++) {
            sb.append(String.format("%02x ", b[i] & 0xff));
        }
        return sb.toString().trim();
    }

    @Override
    public String toString() {
        return "StateDict(" + format + ", " + tensors.size() + " tensors)";
    }
}
