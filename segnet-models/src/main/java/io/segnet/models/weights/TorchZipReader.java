package io.segnet.models.weights;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads the zip format of {@code torch.save}: {@code <archive>/data.pkl} over {@code <archive>/data/<key>}. */
final class TorchZipReader {
    private TorchZipReader() {
    }

    static Object readPickle(Path file, Map<String, ByteBuffer> storagesOut) throws IOException {
        String source = file.toString();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = null;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                String n = en.nextElement().getName();
                if (n.endsWith("data.pkl") && (n.equals("data.pkl") || n.endsWith("/data.pkl"))
                        && n.indexOf('/') == n.lastIndexOf('/')) {
                    prefix = n.substring(0, n.length() - "data.pkl".length());
                    break;
                }
            }
            if (prefix == null) {
                throw new IOException(source + " is a zip file but not a torch.save checkpoint: it has no"
                        + " '<archive>/data.pkl' entry");
            }
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                try (InputStream in = zip.getInputStream(order)) {
                    String o = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                    if (!o.equals("little")) {
                        throw new IOException(source + ": storages are " + o + "-endian; only little-endian"
                                + " checkpoints are supported (re-save it on a little-endian machine)");
                    }
                }
            }
            Map<String, TorchPickle.StorageRef> refs = new HashMap<>();
            Object root;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(zip.getEntry(prefix + "data.pkl")))) {
                root = TorchPickle.load(in, source, pid -> {
                    TorchPickle.StorageRef r = TorchPickle.storageRef(pid, source);
                    refs.putIfAbsent(r.key(), r);
                    return r;
                });
            }
            for (TorchPickle.StorageRef r : refs.values()) {
                ZipEntry e = zip.getEntry(prefix + "data/" + r.key());
                if (e == null) {
                    throw new IOException(source + ": storage '" + r.key() + "' is referenced by data.pkl but the"
                            + " entry '" + prefix + "data/" + r.key() + "' is missing; the file is truncated");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    byte[] data = e.getSize() >= 0 ? new byte[Math.toIntExact(e.getSize())] : in.readAllBytes();
                    if (e.getSize() >= 0 && in.readNBytes(data, 0, data.length) != data.length) {
                        throw new IOException(source + ": storage entry '" + e.getName() + "' is truncated");
                    }
                    storagesOut.put(r.key(), ByteBuffer.wrap(data));
                }
            }
            return root;
        }
    }
}
