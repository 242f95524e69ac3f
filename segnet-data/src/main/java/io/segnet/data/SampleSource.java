package io.segnet.data;

import java.util.List;

/**
 * A finite, indexed collection of samples: a folder of images and masks, the M2NIST generator, an
 * in-memory list. The batch iterator draws from any source.
 *
 * <p>Implementations must allow {@link #get(int)} from several threads at once and must return equal
 * samples for equal indices (a generator computes sample {@code i} from its seed and {@code i} alone).
 */
public interface SampleSource {

    /** Number of samples. */
    int size();

    /**
     * Sample {@code index}, decoded or generated.
     *
     * @throws IndexOutOfBoundsException if index is outside {@code 0..size()-1}
     * @throws DataException             if its files cannot be used; the message names the file
     */
    Sample get(int index);

    /** The name of sample {@code index} (e.g. its file stem) without decoding it. */
    String id(int index);

    /** Number of classes K; mask values are {@code 0..K-1} or the ignore value. */
    int numClasses();

    /** One name per class, in class-id order. */
    List<String> classNames();
}
