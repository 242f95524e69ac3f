package io.segnet.models.weights;

import java.io.IOException;

/**
 * A checkpoint's pickle names a Python callable that segnet refuses to run. Only tensor rebuilding
 * ({@code torch._utils._rebuild_tensor_v2} and kin), PyTorch storage types and collection constructors
 * ({@code collections.OrderedDict}) are allowed, so loading an untrusted file cannot execute code.
 */
public final class UnsafeCheckpointException extends IOException {
    private final String callable;

    /**
     * @param source   the file (or entry) being read
     * @param callable the refused callable, {@code module.name}
     */
    public UnsafeCheckpointException(String source, String callable) {
        super(source + ": the pickle calls '" + callable + "', which segnet refuses to run: only tensor rebuilding"
                + " (torch._utils._rebuild_tensor_v2, _rebuild_parameter), torch storage types and collections"
                + ".OrderedDict are allowed, so that loading an untrusted file cannot execute code. If the file is"
                + " yours, re-save the weights alone: torch.save(model.state_dict(), path), or as safetensors");
        this.callable = callable;
    }

    /** The refused callable, {@code module.name}. */
    public String callable() {
        return callable;
    }
}
