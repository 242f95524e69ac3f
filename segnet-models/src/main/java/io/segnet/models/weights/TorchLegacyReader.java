package io.segnet.models.weights;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the legacy (pre-1.6) format of {@code torch.save}, as in torchvision's original ImageNet files: pickles of the
 * magic number {@code 0x1950a86a20f9469cfc6c}, the protocol version 1001 and the system info, then the main pickle
 * (storages as persistent ids), a pickle of the storage keys, and per key an int64 element count and the raw data.
 */
final class TorchLegacyReader {
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

    private TorchLegacyReader() {
    }

    static Object readPickle(Path file, Map<String, ByteBuffer> storagesOut) throws IOException {
        String source = file.toString();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            Object magic = TorchPickle.load(in, source, pid -> {
                throw new IllegalStateException("no persistent ids expected in the header");
            });
            if (!(magic instanceof Number m) || !new BigInteger(m.toString()).equals(MAGIC)) {
                throw new IOException(source + " is not a torch.save file (no legacy magic number, found " + magic
                        + ")");
            }
            Object protocol = TorchPickle.load(in, source, pid -> null);
            if (!(protocol instanceof Number p) || p.intValue() != 1001) {
                throw new IOException(source + ": unsupported legacy protocol version " + protocol + " (1001 expected)");
            }
            Object sysInfo = TorchPickle.load(in, source, pid -> null);
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new IOException(source + ": written on a big-endian machine; only little-endian checkpoints are"
                        + " supported");
            }
            Map<String, TorchPickle.StorageRef> refs = new HashMap<>();
            Object root = TorchPickle.load(in, source, pid -> {
                TorchPickle.StorageRef r = TorchPickle.storageRef(pid, source);
                refs.putIfAbsent(r.key(), r);
                return r;
            });
            Object keys = TorchPickle.load(in, source, pid -> null);
            if (!(keys instanceof List<?> keyList)) {
                throw new IOException(source + ": expected the list of storage keys after the main pickle, got " + keys);
            }
            for (Object k : keyList) {
                String key = String.valueOf(k);
                TorchPickle.StorageRef r = refs.get(key);
                if (r == null) {
                    throw new IOException(source + ": storage '" + key + "' is stored but no tensor names it");
                }
                long numel = Long.reverseBytes(in.readLong());
                byte[] data = new byte[Math.toIntExact(numel * r.dtype().bytes())];
                try {
                    in.readFully(data);
                } catch (EOFException e) {
                    throw new IOException(source + ": storage '" + key + "' is truncated (" + numel + " elements of "
                            + r.dtype() + " expected)", e);
                }
                storagesOut.put(key, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
            }
            return root;
        }
    }

    /** True if {@code head} (the first bytes of a file) starts with the legacy magic-number pickle. */
    static boolean looksLegacy(byte[] head, int n) {
        // protocol 2 pickle: PROTO 2, then LONG1 with 10 bytes (the magic number, little-endian)
        return n >= 4 && (head[0] & 0xff) == 0x80 && head[1] == 2 && (head[2] & 0xff) == 0x8a && head[3] == 10;
    }
}
