package io.segnet.data.io;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem;
import io.segnet.data.DataProblem.Kind;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A streaming reader for NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0, as documented in
 * {@code numpy.lib.format}): a magic string {@code \x93NUMPY}, a version, a little-endian header length
 * (2 bytes in 1.0, 4 bytes in 2.0/3.0), a Python dict literal header with {@code descr},
 * {@code fortran_order} and {@code shape}, then the raw elements.
 *
 * <p>Supported element types: {@code b1 i1 u1 i2 u2 i4 u4 i8 u8 f4 f8} in either byte order. C order
 * only; Fortran-ordered or structured arrays are reported as errors that say how to re-save them.
 * Elements are delivered as doubles in C order through {@link #read(double[], int, int)}, so files far
 * larger than memory (M2NIST's 296 MB {@code segmented.npy}) can be processed a slice at a time.
 */
public final class NpyReader implements AutoCloseable {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /**
     * The parsed header.
     *
     * @param descr        NumPy type string, e.g. {@code "<f4"} or {@code "|u1"}
     * @param fortranOrder whether the data is stored column-major (rejected by the reader)
     * @param shape        array shape; empty for a scalar
     */
    public record Header(String descr, boolean fortranOrder, long[] shape) {
        /** Number of elements, the product of the shape. */
        public long count() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /** The shape as Python would print it, e.g. {@code (5000, 64, 84)}. */
        public String shapeString() {
            StringBuilder s = new StringBuilder("(");
            for (int i = 0; i < shape.length; i++) {
                s.append(i > 0 ? ", " : "").append(shape[i]);
            }
            return s.append(shape.length == 1 ? ",)" : ")").toString();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Header h && descr.equals(h.descr) && fortranOrder == h.fortranOrder
                    && Arrays.equals(shape, h.shape);
        }

        @Override
        public int hashCode() {
            return descr.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return "npy " + descr + " " + shapeString();
        }
    }

    private final Path file;
    private final InputStream in;
    private final Header header;
    private final char type;
    private final int itemSize;
    private final ByteOrder order;
    private long remaining;
    private byte[] chunk = new byte[0];

    private NpyReader(Path file, InputStream in, Header header) {
        this.file = file;
        this.in = in;
        this.header = header;
        String d = header.descr();
        this.order = d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        this.type = d.charAt(1);
        this.itemSize = Integer.parseInt(d.substring(2));
        this.remaining = header.count();
    }

    /**
     * Opens a file and parses its header.
     *
     * @throws DataException naming the file if it is missing, not an NPY file, or uses an unsupported layout
     */
    public static NpyReader open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw DataException.of(file, Kind.MISSING_FOLDER, "file does not exist",
                    "check the path (relative paths resolve against " + Path.of("").toAbsolutePath() + ")");
        }
        InputStream in = null;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            Header header = readHeader(file, in);
            return new NpyReader(file, in, header);
        } catch (IOException e) {
            closeQuietly(in);
            throw new DataException(new DataProblem(file, Kind.UNREADABLE, "cannot read the file: " + e.getMessage(),
                    "check the file's permissions"), e);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /**
     * A whole array in memory.
     *
     * @param header the file's header
     * @param data   all elements in C order, as doubles
     */
    public record Contents(Header header, double[] data) {
    }

    /** Reads a whole (small) file into memory: header and all elements as doubles. */
    public static Contents readAll(Path file) {
        try (NpyReader r = open(file)) {
            long n = r.header().count();
            if (n > Integer.MAX_VALUE - 8) {
                throw DataException.of(file, Kind.BAD_CONTENT, "array has " + n + " elements, too many to load at once",
                        "read it a slice at a time with NpyReader.open(file).read(...)");
            }
            double[] data = new double[(int) n];
            r.read(data, 0, data.length);
            return new Contents(r.header(), data);
        }
    }

    /** The header. */
    public Header header() {
        return header;
    }

    /** Elements not yet read. */
    public long remaining() {
        return remaining;
    }

    /**
     * Reads the next {@code n} elements in C order into {@code dst[offset..offset+n)} as doubles.
     *
     * @throws DataException naming the file if it ends early, or if more elements are requested than the
     *                       shape holds
     */
    public void read(double[] dst, int offset, int n) {
        if (n > remaining) {
            throw new IllegalArgumentException(file + ": asked for " + n + " elements but only " + remaining
                    + " of " + header.count() + " remain");
        }
        int bytes = n * itemSize;
        if (chunk.length < bytes) {
            chunk = new byte[bytes];
        }
        int got;
        try {
            got = in.readNBytes(chunk, 0, bytes);
        } catch (IOException e) {
            throw new DataException(new DataProblem(file, Kind.UNREADABLE, "read failed: " + e.getMessage(),
                    "check the file and copy it again"), e);
        }
        if (got < bytes) {
            long done = header.count() - remaining + got / itemSize;
            throw DataException.of(file, Kind.UNREADABLE, "file ends after " + done + " of " + header.count()
                    + " elements of shape " + header.shapeString() + ": it is truncated",
                    "download or copy the file again");
        }
        ByteBuffer buf = ByteBuffer.wrap(chunk, 0, bytes).order(order);
        for (int i = 0; i < n; i++) {
            dst[offset + i] = element(buf, i * itemSize);
        }
        remaining -= n;
    }

    private double element(ByteBuffer b, int at) {
        return switch (type) {
            case 'b' -> b.get(at) != 0 ? 1 : 0;
            case 'u' -> switch (itemSize) {
                case 1 -> b.get(at) & 0xFF;
                case 2 -> b.getShort(at) & 0xFFFF;
                case 4 -> b.getInt(at) & 0xFFFFFFFFL;
                default -> {
                    long v = b.getLong(at);
                    yield v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
                }
            };
            case 'i' -> switch (itemSize) {
                case 1 -> b.get(at);
                case 2 -> b.getShort(at);
                case 4 -> b.getInt(at);
                default -> b.getLong(at);
            };
            default -> itemSize == 4 ? b.getFloat(at) : b.getDouble(at);
        };
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    private static Header readHeader(Path file, InputStream in) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw DataException.of(file, Kind.BAD_CONTENT, "not a NumPy .npy file (it does not start with \\x93NUMPY)",
                    "save the array with numpy.save(); .npz archives must be unzipped into .npy files first");
        }
        int major = magic[6] & 0xFF;
        int lengthBytes = switch (major) {
            case 1 -> 2;
            case 2, 3 -> 4;
            default -> throw DataException.of(file, Kind.BAD_CONTENT, "NPY format version " + major + "."
                    + (magic[7] & 0xFF) + " is not supported (1.0, 2.0 and 3.0 are)",
                    "re-save the array with numpy.save()");
        };
        byte[] len = in.readNBytes(lengthBytes);
        if (len.length < lengthBytes) {
            throw truncatedHeader(file);
        }
        long headerLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            headerLength = (headerLength << 8) | (len[i] & 0xFF);
        }
        if (headerLength > 1 << 20) {
            throw DataException.of(file, Kind.BAD_CONTENT, "NPY header claims " + headerLength + " bytes",
                    "the file is damaged: copy it again");
        }
        byte[] text = in.readNBytes((int) headerLength);
        if (text.length < headerLength) {
            throw truncatedHeader(file);
        }
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            String why = dict.contains("'descr': [") || dict.contains("'descr':[")
                    ? "structured (record) arrays are not supported" : "header is not a NumPy array header";
            throw DataException.of(file, Kind.BAD_CONTENT, why + ": " + dict.trim(),
                    "save a plain numeric array with numpy.save()");
        }
        String d = descr.group(1);
        if (!d.matches("[<>|=][biuf](1|2|4|8)") || d.endsWith("f1") || d.endsWith("f2") || d.charAt(1) == 'b'
                && !d.endsWith("1")) {
            throw DataException.of(file, Kind.BAD_CONTENT, "element type '" + d + "' is not supported",
                    "convert the array to uint8, int32, float32 or float64 (e.g. a.astype(numpy.float32)) and save"
                            + " it again");
        }
        if (d.charAt(0) == '=') {
            d = "<" + d.substring(1);
        }
        boolean fortranOrder = fortran.group(1).equals("True");
        String[] dims = shape.group(1).split(",");
        long[] sh = Arrays.stream(dims).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.endsWith("L") ? s.substring(0, s.length() - 1) : s).mapToLong(Long::parseLong).toArray();
        Header header = new Header(d, fortranOrder, sh);
        if (fortranOrder && sh.length > 1) {
            throw DataException.of(file, Kind.BAD_CONTENT, "array " + header.shapeString()
                            + " is stored in Fortran (column-major) order",
                    "re-save it in C order: numpy.save(path, numpy.ascontiguousarray(a))");
        }
        return header;
    }

    private static DataException truncatedHeader(Path file) {
        return DataException.of(file, Kind.UNREADABLE, "file ends inside the NPY header",
                "the file is truncated: download or copy it again");
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing useful to do: the file was only read
            }
        }
    }
}
