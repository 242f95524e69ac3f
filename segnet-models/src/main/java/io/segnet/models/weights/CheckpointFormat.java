package io.segnet.models.weights;

/** The file formats {@link StateDict#read} recognises (by content, not by file name). */
public enum CheckpointFormat {
    /** {@code torch.save} since PyTorch 1.6: a zip of {@code <archive>/data.pkl} and {@code <archive>/data/<key>}. */
    TORCH_ZIP,
    /**
     * {@code torch.save} before 1.6 (or {@code _use_new_zipfile_serialization=False}): magic number, protocol and
     * system-info pickles, the main pickle, the storage keys and the raw storages, in one stream.
     */
    TORCH_LEGACY,
    /** safetensors: an 8-byte little-endian header length, a JSON header, then the raw tensors. */
    SAFETENSORS
}
