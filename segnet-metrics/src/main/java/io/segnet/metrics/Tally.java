package io.segnet.metrics;

import java.util.Map;

/** Formats counts of offending values for error messages: "value 300 in 12 pixels, value -1 in 3 pixels". */
final class Tally {

    /** At most this many distinct values are named; the rest are summed up. */
    static final int SHOWN = 8;

    private Tally() {
    }

    /** {@code tally} maps each offending value to how many pixels hold it; iterated in its own order. */
    static String describe(Map<Double, Long> tally) {
        StringBuilder text = new StringBuilder();
        int shown = 0;
        long otherValues = 0;
        long otherPixels = 0;
        for (Map.Entry<Double, Long> e : tally.entrySet()) {
            if (shown < SHOWN) {
                if (shown > 0) {
                    text.append(", ");
                }
                text.append("value ").append(format(e.getKey())).append(" in ").append(e.getValue())
                        .append(e.getValue() == 1 ? " pixel" : " pixels");
                shown++;
            } else {
                otherValues++;
                otherPixels += e.getValue();
            }
        }
        if (otherValues > 0) {
            text.append(" and ").append(otherValues).append(" more values in ").append(otherPixels).append(" pixels");
        }
        return text.toString();
    }

    private static String format(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e18) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
