package io.segnet.models.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads safetensors files: an unsigned 64-bit little-endian header length {@code n}, {@code n} bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}}), then the
 * tensors' bytes, offsets relative to the end of the header. The file is memory-mapped; tensors are views of it.
 */
final class SafetensorsReader {
    private static final long MAX_HEADER = 100L << 20;

    private SafetensorsReader() {
    }

    static Map<String, Tensor> read(Path file) throws IOException {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (size < 8 || ch.read(len, 0) != 8) {
                throw new IOException(source + " is too short to be a safetensors file");
            }
            long n = len.getLong(0);
            if (n <= 0 || n > MAX_HEADER || 8 + n > size) {
                throw new IOException(source + " is not a safetensors file (header length " + n + ", file size "
                        + size + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) n);
            ch.read(header, 8);
            JsonNode root = new ObjectMapper().readTree(new String(header.array(), StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw new IOException(source + ": the safetensors header is not a JSON object");
            }
            long dataStart = 8 + n, dataSize = size - dataStart;
            ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart, dataSize)
                    .order(ByteOrder.LITTLE_ENDIAN);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode t = e.getValue();
                DType dtype;
                try {
                    dtype = DType.ofSafetensors(t.path("dtype").asText());
                } catch (IllegalArgumentException ex) {
                    throw new IOException(source + ": tensor '" + e.getKey() + "': " + ex.getMessage(), ex);
                }
                JsonNode shapeNode = t.path("shape"), offsets = t.path("data_offsets");
                long[] shape = new long[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong();
                }
                long begin = offsets.path(0).asLong(-1), end = offsets.path(1).asLong(-1);
                if (begin < 0 || end < begin || end > dataSize
                        || end - begin != Tensor.numel(shape) * dtype.bytes()) {
                    throw new IOException(source + ": tensor '" + e.getKey() + "' has data_offsets " + offsets
                            + " that do not fit its shape " + shapeNode + " of " + dtype + " in " + dataSize
                            + " data bytes");
                }
                ByteBuffer slice = data.duplicate().position((int) begin).limit((int) end).slice();
                out.put(e.getKey(), new Tensor(dtype, shape, slice));
            }
            return out;
        }
    }
}
