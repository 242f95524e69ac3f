package io.segnet.models.weights;

import java.util.List;

/**
 * What an import did with a checkpoint's keys.
 *
 * @param prefix     the wrapper prefix stripped from the checkpoint's keys ({@code ""}, {@code "encoder."},
 *                   {@code "module."}, {@code "model.encoder."}, ...)
 * @param used       checkpoint keys loaded into segnet parameters, in the checkpoint's order
 * @param dropped    keys knowingly left out: the classifier ({@code fc.*}, {@code classifier.*}), batch norm's
 *                   {@code num_batches_tracked}, ResNet stages the model does not build, smp's
 *                   {@code classification_head.*}, and every key outside {@code prefix} (e.g. smp's {@code decoder.*}
 *                   and {@code segmentation_head.*} when only the encoder is loaded)
 * @param unexpected keys under {@code prefix} that match no parameter of the segnet encoder (or model)
 * @param missing    segnet parameters ({@code vertex/param}) that the checkpoint has no key for
 */
public record ImportReport(String prefix, List<String> used, List<String> dropped, List<String> unexpected,
                           List<String> missing) {

    public ImportReport {
        used = List.copyOf(used);
        dropped = List.copyOf(dropped);
        unexpected = List.copyOf(unexpected);
        missing = List.copyOf(missing);
    }

    /** One line: counts, the prefix, and the first unexpected and missing keys. */
    public String summary() {
        return used.size() + " tensors loaded" + (prefix.isEmpty() ? "" : " (prefix '" + prefix + "' stripped)")
                + ", " + dropped.size() + " dropped, " + unexpected.size() + " unexpected"
                + (unexpected.isEmpty() ? "" : " " + first(unexpected)) + ", " + missing.size() + " missing"
                + (missing.isEmpty() ? "" : " " + first(missing));
    }

    private static String first(List<String> keys) {
        return keys.size() <= 5 ? keys.toString() : keys.subList(0, 5) + " and " + (keys.size() - 5) + " more";
    }
}
