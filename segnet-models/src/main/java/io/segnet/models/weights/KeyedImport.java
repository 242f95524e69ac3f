package io.segnet.models.weights;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The import both {@link EncoderWeights} and {@link SmpWeights} run: given the PyTorch key of every segnet parameter,
 * find the wrapper prefix, sort the checkpoint's keys into used, dropped, unexpected and missing, check every shape,
 * and only then assign (all or nothing).
 */
final class KeyedImport {

    /** Explains a shape mismatch after the two shapes (e.g. " (a different encoder depth or width?)"). */
    @FunctionalInterface
    interface ShapeHint {
        String hint(ParamKey key, long[] file, long[] segnet);
    }

    private KeyedImport() {
    }

    /**
     * Loads {@code weights} into the parameters {@code keys} of {@code graph}.
     *
     * @param what            what is loaded, for messages ("the resnet encoder (ResNet-18, width 4)")
     * @param owner           what has the parameters, for messages ("the encoder")
     * @param knownUnused     local keys (prefix stripped) that are dropped rather than unexpected
     * @param allowUnexpected accept (and report) keys under the prefix that match no parameter
     * @throws IllegalArgumentException if a key is missing, unexpected (unless allowed) or of another shape
     */
    static ImportReport load(ComputationGraph graph, List<ParamKey> keys, StateDict weights, String what,
                             String owner, Predicate<String> knownUnused, boolean allowUnexpected,
                             ShapeHint shapeHint) {
        String prefix = findPrefix(keys, weights.tensors().keySet());
        Map<String, ParamKey> byTorchKey = new HashMap<>();
        for (ParamKey k : keys) {
            byTorchKey.put(k.torchKey(), k);
        }
        List<String> used = new ArrayList<>(), dropped = new ArrayList<>(), unexpected = new ArrayList<>();
        Map<ParamKey, Tensor> found = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : weights.tensors().entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                dropped.add(key);
                continue;
            }
            String local = key.substring(prefix.length());
            ParamKey k = byTorchKey.get(local);
            if (k != null) {
                found.put(k, e.getValue());
                used.add(key);
            } else if (knownUnused.test(local)) {
                dropped.add(key);
            } else {
                unexpected.add(key);
            }
        }
        List<String> missing = new ArrayList<>();
        for (ParamKey k : keys) {
            if (!found.containsKey(k)) {
                missing.add(k.segnetName() + " (key '" + prefix + k.torchKey() + "')");
            }
        }
        ImportReport report = new ImportReport(prefix, used, dropped, unexpected, missing);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("cannot load " + what + ": the checkpoint lacks " + missing.size()
                    + " of its " + keys.size() + " parameters, first " + missing.get(0) + ". " + report.summary()
                    + firstKeys(weights));
        }
        if (!unexpected.isEmpty() && !allowUnexpected) {
            throw new IllegalArgumentException("cannot load " + what + ": the checkpoint has " + unexpected.size()
                    + " keys " + owner + " has no parameter for, first '" + unexpected.get(0) + "' (a deeper or different architecture?). "
                    + report.summary() + "; pass allowUnexpected = true to load anyway");
        }
        for (Map.Entry<ParamKey, Tensor> e : found.entrySet()) {
            INDArray param = param(graph, e.getKey());
            if (!Arrays.equals(param.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("cannot load " + what + ": checkpoint key '" + prefix
                        + e.getKey().torchKey() + "' has shape " + Arrays.toString(e.getValue().shape())
                        + ", segnet's " + e.getKey().segnetName() + " has shape " + Arrays.toString(param.shape())
                        + shapeHint.hint(e.getKey(), e.getValue().shape(), param.shape()));
            }
        }
        for (Map.Entry<ParamKey, Tensor> e : found.entrySet()) {
            param(graph, e.getKey()).assign(e.getKey().toSegnet(e.getValue().toINDArray()));
        }
        return report;
    }

    static INDArray param(ComputationGraph graph, ParamKey k) {
        return graph.getLayer(k.layer()).getParam(k.param());
    }

    /** The prefix p under which the most keys {@code p + torchKey} exist (the shortest on a tie; "" if none). */
    static String findPrefix(List<ParamKey> keys, Set<String> names) {
        String anchor = keys.get(0).torchKey();
        Set<String> candidates = new LinkedHashSet<>();
        candidates.add("");
        for (String n : names) {
            if (n.endsWith(anchor)) {
                String p = n.substring(0, n.length() - anchor.length());
                if (p.isEmpty() || p.endsWith(".")) {
                    candidates.add(p);
                }
            }
        }
        String best = "";
        int bestCount = -1;
        for (String p : candidates) {
            int count = 0;
            for (ParamKey k : keys) {
                if (names.contains(p + k.torchKey())) {
                    count++;
                }
            }
            if (count > bestCount || count == bestCount && p.length() < best.length()) {
                best = p;
                bestCount = count;
            }
        }
        return best;
    }

    /** "; the checkpoint's first keys are [...]", for a message about missing keys. */
    static String firstKeys(StateDict weights) {
        List<String> names = new ArrayList<>(weights.tensors().keySet());
        return "; the checkpoint's first keys are " + (names.size() <= 4 ? names : names.subList(0, 4));
    }
}
