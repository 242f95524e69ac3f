package io.segnet.models.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Turns a {@link TorchPickle.TensorRef} (a view of a storage: element offset, sizes, strides) into a contiguous
 * {@link Tensor}: a slice of the storage when the view is contiguous, else a row-major gather.
 */
final class TensorGather {
    private TensorGather() {
    }

    /**
     * @param ref     the view
     * @param storage the bytes of the storage the view's {@code storage().key()} names (the root storage of a legacy
     *                view, whose own offset is applied here)
     * @param name    the tensor's key, for messages
     */
    static Tensor gather(TorchPickle.TensorRef ref, ByteBuffer storage, String name, String source)
            throws IOException {
        DType t = ref.storage().dtype();
        int e = t.bytes();
        long[] shape = ref.shape(), stride = ref.stride();
        if (shape.length != stride.length) {
            throw new IOException(source + ": tensor '" + name + "' has size " + Arrays.toString(shape) + " but stride "
                    + Arrays.toString(stride));
        }
        long base = ref.storage().viewOffset() + ref.offset();
        long numel = Tensor.numel(shape);
        long storageNumel = storage.remaining() / e;
        long last = base;
        for (int d = 0; d < shape.length; d++) {
            if (stride[d] < 0) {
                throw new IOException(source + ": tensor '" + name + "' has a negative stride " + Arrays.toString(stride));
            }
            last += shape[d] == 0 ? 0 : (shape[d] - 1) * stride[d];
        }
        if (numel > 0 && (base < 0 || last >= storageNumel)) {
            throw new IOException(source + ": tensor '" + name + "' (offset " + base + ", size " + Arrays.toString(shape)
                    + ", stride " + Arrays.toString(stride) + ") reaches past its storage of " + storageNumel
                    + " elements; the file is truncated or corrupt");
        }
        ByteBuffer src = storage.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (contiguous(shape, stride)) {
            ByteBuffer slice = src.position(Math.toIntExact(src.position() + base * e)).slice();
            return new Tensor(t, shape, slice.limit(Math.toIntExact(numel * e)));
        }
        byte[] out = new byte[Math.toIntExact(numel * e)];
        byte[] in = new byte[e];
        long[] index = new long[shape.length];
        int start = src.position();
        for (long i = 0; i < numel; i++) {
            long at = base;
            for (int d = 0; d < shape.length; d++) {
                at += index[d] * stride[d];
            }
            src.get(Math.toIntExact(start + at * e), in);
            System.arraycopy(in, 0, out, Math.toIntExact(i * e), e);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return new Tensor(t, shape, ByteBuffer.wrap(out));
    }

    private static boolean contiguous(long[] shape, long[] stride) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }
}
