package io.segnet.models.weights;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole model's state_dict with its wrapper prefix stripped: the prefix is what stands before the shortest key ending
 * in an anchor ({@code encoder.conv1.weight} for smp, {@code backbone.conv1.weight} for torchvision's segmentation
 * models), so Lightning's {@code model.} and DataParallel's {@code module.} go. Reads the shapes a config is built
 * from.
 */
final class LocalKeys {
    private final StateDict weights;
    private final String prefix;
    private final Set<String> local = new TreeSet<>();

    /**
     * @throws IllegalArgumentException if no key ends in {@code anchor}, naming {@code what} it stands for
     */
    LocalKeys(StateDict weights, String anchor, String what) {
        this.weights = weights;
        String p = null;
        for (String n : weights.tensors().keySet()) {
            String candidate = n.endsWith(anchor) ? n.substring(0, n.length() - anchor.length()) : null;
            if (candidate != null && (candidate.isEmpty() || candidate.endsWith("."))
                    && (p == null || candidate.length() < p.length())) {
                p = candidate;
            }
        }
        if (p == null) {
            throw new IllegalArgumentException("the checkpoint has no '" + anchor + "' (" + what + ")");
        }
        prefix = p;
        for (String n : weights.tensors().keySet()) {
            if (n.startsWith(prefix)) {
                local.add(n.substring(prefix.length()));
            }
        }
    }

    /** The keys under the prefix, prefix stripped, sorted. */
    Set<String> local() {
        return local;
    }

    /** Whether the local key exists. */
    boolean has(String key) {
        return local.contains(key);
    }

    /**
     * The shape of a local key.
     *
     * @throws IllegalArgumentException if there is no such key
     */
    long[] shape(String key) {
        Tensor t = weights.get(prefix + key);
        if (t == null) {
            throw new IllegalArgumentException("the checkpoint has no '" + prefix + key + "'");
        }
        return t.shape();
    }

    /**
     * 18, 34 or 50: the depth of the torchvision ResNet whose keys stand under {@code stagePrefix}
     * ({@code encoder.}), from its blocks per stage and the bottleneck's {@code conv3}.
     *
     * @throws IllegalArgumentException for another ResNet (101, 152) or none, naming the blocks found
     */
    int resnetDepth(String stagePrefix) {
        Pattern stage = Pattern.compile(Pattern.quote(stagePrefix) + "layer(\\d)\\.(\\d+)\\..*");
        int[] blocks = new int[5];
        for (String n : local) {
            Matcher m = stage.matcher(n);
            if (m.matches()) {
                int s = Integer.parseInt(m.group(1));
                if (s >= 1 && s <= 4) {
                    blocks[s] = Math.max(blocks[s], Integer.parseInt(m.group(2)) + 1);
                }
            }
        }
        boolean bottleneck = has(stagePrefix + "layer1.0.conv3.weight");
        List<Integer> counts = List.of(blocks[1], blocks[2], blocks[3], blocks[4]);
        if (counts.equals(List.of(2, 2, 2, 2)) && !bottleneck) {
            return 18;
        } else if (counts.equals(List.of(3, 4, 6, 3))) {
            return bottleneck ? 50 : 34;
        }
        throw new IllegalArgumentException("the checkpoint's encoder has " + counts + " blocks per stage"
                + (bottleneck ? " (bottlenecks)" : "") + "; segnet's ResNet encoders are ResNet-18 [2, 2, 2, 2],"
                + " ResNet-34 and ResNet-50 [3, 4, 6, 3]");
    }
}
