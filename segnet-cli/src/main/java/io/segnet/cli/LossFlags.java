package io.segnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.data.dataset.ClassFrequencies;
import io.segnet.train.ConfigFiles;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The loss flags of {@code segnet train}, turned into the {@code model.loss} section of a run's settings (the
 * {@code LossConfig} form of segnet-models, laid over the model's own loss field by field):
 * {@code --loss ce+dice:0.5} sets {@code crossEntropyWeight}, {@code diceWeight} and {@code terms} (terms separated by
 * {@code +} or {@code ,}, each {@code NAME} or {@code NAME:WEIGHT}, weight 1 by default); the other flags set the
 * terms' parameters, {@code labelSmoothing} and {@code classWeights} (numbers, or {@code auto} for median-frequency
 * weights counted from the training masks when the run starts).
 */
final class LossFlags {

    /** The names {@code --loss} takes, in the order the docs list them. */
    static final List<String> NAMES = List.of("ce", "dice", "jaccard", "focal", "tversky", "lovasz", "ohem");

    /** The value of {@code model.loss.classWeights} that asks for median-frequency weights. */
    static final String AUTO = "auto";

    @Option(names = "--loss", paramLabel = "TERMS", description = "Loss terms with weights, e.g. ce+dice,"
            + " ce+dice:0.5, focal:1+lovasz:0.5 (names: ce, dice, jaccard, focal, tversky, lovasz, ohem; default:"
            + " the model's own loss).")
    String loss;

    @Option(names = "--label-smoothing", paramLabel = "EPS", description = "Label smoothing of the ce term in [0, 1)"
            + " (default 0).")
    Double labelSmoothing;

    @Option(names = "--class-weights", paramLabel = "W", description = "Per-class weights of the ce, ohem and lovasz"
            + " terms: one per class (w1,w2,...) or auto (median-frequency balancing from the training masks).")
    String classWeights;

    @Option(names = "--focal-gamma", paramLabel = "G", description = "focal: focusing parameter (default 2).")
    Double focalGamma;

    @Option(names = "--focal-alpha", paramLabel = "A", description = "focal: positive-class weight in [0, 1)"
            + " (default none).")
    Double focalAlpha;

    @Option(names = "--tversky-alpha", paramLabel = "A", description = "tversky: weight of false positives"
            + " (default 0.3).")
    Double tverskyAlpha;

    @Option(names = "--tversky-beta", paramLabel = "B", description = "tversky: weight of false negatives"
            + " (default 0.7).")
    Double tverskyBeta;

    @Option(names = "--lovasz-per-image", description = "lovasz: the loss of each image, then the mean (default: over"
            + " the batch).")
    boolean lovaszPerImage;

    @Option(names = "--ohem-thresh", paramLabel = "P", description = "ohem: keep pixels whose true-class probability"
            + " is below P (default 0.7).")
    Double ohemThresh;

    @Option(names = "--ohem-min-kept", paramLabel = "N", description = "ohem: keep at least N pixels per image"
            + " (default 100000).")
    Integer ohemMinKept;

    /**
     * The {@code model.loss} section these flags give, or null when none is given.
     *
     * @throws UsageException for an unknown term name, a malformed weight or a parameter of a term not chosen
     */
    ObjectNode section() {
        ObjectNode s = ConfigFiles.JSON.createObjectNode();
        Map<String, Double> terms = loss == null ? Map.of() : terms(loss);
        requireTerm("--focal-gamma", focalGamma, "focal", terms);
        requireTerm("--focal-alpha", focalAlpha, "focal", terms);
        requireTerm("--tversky-alpha", tverskyAlpha, "tversky", terms);
        requireTerm("--tversky-beta", tverskyBeta, "tversky", terms);
        requireTerm("--lovasz-per-image", lovaszPerImage ? Boolean.TRUE : null, "lovasz", terms);
        requireTerm("--ohem-thresh", ohemThresh, "ohem", terms);
        requireTerm("--ohem-min-kept", ohemMinKept, "ohem", terms);
        if (loss != null) {
            s.put("crossEntropyWeight", terms.getOrDefault("ce", 0.0));
            s.put("diceWeight", terms.getOrDefault("dice", 0.0));
            ArrayNode list = s.putArray("terms");
            terms.forEach((name, w) -> {
                ObjectNode t = switch (name) {
                    case "focal" -> ConfigFiles.JSON.createObjectNode().put("gamma", focalGamma == null ? 2.0
                            : focalGamma).put("alpha", focalAlpha);
                    case "tversky" -> ConfigFiles.JSON.createObjectNode().put("alpha", tverskyAlpha == null ? 0.3
                            : tverskyAlpha).put("beta", tverskyBeta == null ? 0.7 : tverskyBeta);
                    case "jaccard" -> ConfigFiles.JSON.createObjectNode();
                    case "lovasz" -> ConfigFiles.JSON.createObjectNode().put("perImage", lovaszPerImage);
                    case "ohem" -> ConfigFiles.JSON.createObjectNode().put("thresh", ohemThresh == null ? 0.7
                            : ohemThresh).put("minKept", ohemMinKept == null ? 100000 : ohemMinKept);
                    default -> null; // ce and dice are the two weights above
                };
                if (t != null) {
                    ObjectNode tagged = ConfigFiles.JSON.createObjectNode().put("type", name).put("weight", w);
                    list.add(tagged.setAll(t));
                }
            });
        }
        if (labelSmoothing != null) {
            s.put("labelSmoothing", labelSmoothing);
        }
        if (classWeights != null) {
            if (classWeights.strip().equalsIgnoreCase(AUTO)) {
                s.put("classWeights", AUTO);
            } else {
                ArrayNode w = s.putArray("classWeights");
                for (String part : classWeights.split(",")) {
                    w.add(number(part, "--class-weights", "a weight per class, e.g. 1,2.5,0.7, or auto"));
                }
            }
        }
        return s.isEmpty() ? null : s;
    }

    /** {@code ce+dice:0.5} as {ce: 1, dice: 0.5}, in the order given. */
    static Map<String, Double> terms(String spec) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String part : spec.split("[+,]")) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                throw new UsageException("--loss '" + spec + "' has an empty term; write terms as NAME or"
                        + " NAME:WEIGHT joined by + (e.g. ce+dice:0.5)");
            }
            int colon = p.indexOf(':');
            String name = colon < 0 ? p : p.substring(0, colon).strip();
            double w = colon < 0 ? 1.0 : number(p.substring(colon + 1), "--loss " + name,
                    "a weight > 0 after the colon, e.g. dice:0.5");
            if (!NAMES.contains(name)) {
                throw new UsageException("--loss: unknown loss '" + name + "'; valid names: "
                        + String.join(", ", NAMES) + " (label smoothing is --label-smoothing)");
            }
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new UsageException("--loss " + name + ": weight must be > 0, got " + w);
            }
            if (out.put(name, w) != null) {
                throw new UsageException("--loss names " + name + " twice; give it once with its weight");
            }
        }
        if (out.containsKey("jaccard") && out.containsKey("tversky")) {
            throw new UsageException("--loss: give one of jaccard and tversky (jaccard is tversky with"
                    + " --tversky-alpha 1 --tversky-beta 1)");
        }
        return out;
    }

    private static double number(String text, String flag, String expected) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": '" + text.strip() + "' is not a number; expected " + expected);
        }
    }

    private static void requireTerm(String flag, Object value, String term, Map<String, Double> terms) {
        if (value != null && !terms.containsKey(term)) {
            throw new UsageException(flag + " sets a parameter of the " + term + " term; add " + term
                    + " to --loss (e.g. --loss ce+" + term + ":0.5)");
        }
    }

    /** Whether a model section's loss asks for median-frequency weights ({@code classWeights: auto}). */
    static boolean wantsAutoWeights(JsonNode model) {
        JsonNode w = model.path("loss").path("classWeights");
        return w.isTextual() && w.asText().strip().equalsIgnoreCase(AUTO);
    }

    /** A copy of the model section with {@code loss.classWeights} set to {@code weights}. */
    static JsonNode withClassWeights(JsonNode model, double[] weights) {
        ObjectNode copy = model.deepCopy();
        ArrayNode w = ((ObjectNode) copy.get("loss")).putArray("classWeights");
        for (double v : weights) {
            w.add(v);
        }
        return copy;
    }

    /**
     * Prints the class weights as a table (with each class's share of the training pixels when known) and warns of
     * classes absent from the training masks.
     */
    static void printWeights(PrintWriter out, List<String> classNames, double[] weights, ClassFrequencies counts) {
        out.println(counts == null ? "class weights (--class-weights):"
                : "class weights (--class-weights auto: median frequency / class frequency, from the training masks):");
        int width = Math.max(5, classNames.stream().mapToInt(String::length).max().orElse(5));
        out.printf(Locale.ROOT, "  %-" + width + "s  %10s%s%n", "class", "weight", counts == null ? ""
                : "  pixels (share)");
        for (int c = 0; c < weights.length; c++) {
            String name = c < classNames.size() ? classNames.get(c) : Integer.toString(c);
            out.printf(Locale.ROOT, "  %-" + width + "s  %10.4f%s%n", name, weights[c], counts == null ? ""
                    : String.format(Locale.ROOT, "  %d (%.4f%%)", counts.pixels()[c], 100 * counts.share(c)));
        }
        if (counts != null) {
            for (int c : counts.absentClasses()) {
                out.println("warning: class " + c + " (" + (c < classNames.size() ? classNames.get(c) : c)
                        + ") occurs in no training mask; its weight is 0 (the model cannot learn it from this data)");
            }
        }
        out.flush();
    }
}
