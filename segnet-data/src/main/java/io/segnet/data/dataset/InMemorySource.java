package io.segnet.data.dataset;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Samples held in memory: decoded once, then served without touching the disk, so that every epoch skips decoding.
 * Images decoded from 8-bit files (every value {@code k / 255f}) and masks with values below 256 are kept as one byte
 * per value and expanded to exactly the decoded floats and ints on {@link #get}: a quarter of the memory, so that real
 * photo sets fit (Clothing Co-Parsing's 1004 RGB images of 550x830 and their masks: 1.8 GB packed, 7.3 GB as floats
 * and ints). Other values (16-bit images, normalised inputs) are kept as they are.
 */
public final class InMemorySource implements SampleSource {

    private final List<Packed> samples;
    private final int numClasses;
    private final List<String> classNames;

    private InMemorySource(List<Packed> samples, int numClasses, List<String> classNames) {
        this.samples = List.copyOf(samples);
        this.numClasses = numClasses;
        this.classNames = List.copyOf(classNames);
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + numClasses + " classes");
        }
    }

    /** Wraps a list of samples. */
    public static InMemorySource of(List<Sample> samples, int numClasses, List<String> classNames) {
        return new InMemorySource(samples.stream().map(Packed::of).toList(), numClasses, classNames);
    }

    /**
     * Decodes every sample of {@code source} on {@code threads} threads and keeps them.
     *
     * @throws io.segnet.data.DataException the first sample's problem, in index order, if any sample fails
     */
    public static InMemorySource load(SampleSource source, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "segnet-data-load");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Packed>> futures = new ArrayList<>(source.size());
            for (int i = 0; i < source.size(); i++) {
                int index = i;
                // packed by the task itself: the decoded floats are garbage at once, not held by the future
                futures.add(pool.submit(() -> Packed.of(source.get(index))));
            }
            List<Packed> samples = new ArrayList<>(futures.size());
            for (Future<Packed> f : futures) {
                samples.add(f.get());
            }
            return new InMemorySource(samples, source.numClasses(), source.classNames());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading samples", e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public int size() {
        return samples.size();
    }

    @Override
    public Sample get(int index) {
        return samples.get(Objects.checkIndex(index, samples.size())).unpack();
    }

    @Override
    public String id(int index) {
        return samples.get(Objects.checkIndex(index, samples.size())).id;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** Bytes of the held samples' pixel and mask arrays, as stored. */
    public long heldBytes() {
        return samples.stream().mapToLong(Packed::bytes).sum();
    }

    /** One sample as stored: each array either as one byte per value (exact) or as it was. */
    private record Packed(String id, int channels, int height, int width, byte[] imageBytes, float[] image,
                          byte[] maskBytes, int[] mask, int ignoreValue) {

        static Packed of(Sample s) {
            byte[] ib = bytes(s.image());
            int[] m = s.mask();
            byte[] mb = m == null ? null : bytes(m);
            return new Packed(s.id(), s.channels(), s.height(), s.width(), ib, ib == null ? s.image() : null, mb,
                    mb == null ? m : null, s.ignoreValue());
        }

        Sample unpack() {
            float[] img = image;
            if (imageBytes != null) {
                img = new float[imageBytes.length];
                for (int i = 0; i < img.length; i++) {
                    img[i] = (imageBytes[i] & 0xFF) / 255f;
                }
            }
            int[] m = mask;
            if (maskBytes != null) {
                m = new int[maskBytes.length];
                for (int i = 0; i < m.length; i++) {
                    m[i] = maskBytes[i] & 0xFF;
                }
            }
            return new Sample(id, channels, height, width, img, m, ignoreValue);
        }

        long bytes() {
            return (imageBytes != null ? imageBytes.length : 4L * image.length)
                    + (maskBytes != null ? maskBytes.length : mask == null ? 0 : 4L * mask.length);
        }

        /** The values as bytes {@code k} with {@code k / 255f} equal to each value, or null if one is not. */
        private static byte[] bytes(float[] values) {
            byte[] out = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                float v = values[i];
                int k = Math.round(v * 255f);
                if (k < 0 || k > 255 || k / 255f != v) {
                    return null;
                }
                out[i] = (byte) k;
            }
            return out;
        }

        /** The values as bytes if all lie in 0..255, else null. */
        private static byte[] bytes(int[] values) {
            byte[] out = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i] < 0 || values[i] > 255) {
                    return null;
                }
                out[i] = (byte) values[i];
            }
            return out;
        }
    }
}
