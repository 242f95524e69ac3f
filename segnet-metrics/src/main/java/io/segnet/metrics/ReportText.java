package io.segnet.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats a {@link MetricReport} as Markdown or as a fixed-width console table; scores in percent, 2 decimals. */
final class ReportText {

    private ReportText() {
    }

    /** {@code 0.93125} as {@code "93.13"}, NaN as {@code "nan"} (as mmsegmentation prints it). */
    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "nan" : String.format(Locale.ROOT, "%.2f", fraction * 100);
    }

    private static String fName(MetricReport r) {
        return r.fScoreBeta() == 1.0 ? "F1" : "F" + String.format(Locale.ROOT, "%g", r.fScoreBeta())
                .replaceAll("\\.?0+$", "");
    }

    private static String reductionLine(MetricReport r) {
        String how = r.reduction() == Reduction.DATASET
                ? "one confusion matrix over the data set"
                : "scores per image, then averaged"
                        + (Double.isNaN(r.zeroDivision()) ? "; undefined scores left out"
                                : "; undefined scores count as " + r.zeroDivision());
        return r.reduction() + " (" + how + "), " + r.images() + (r.images() == 1 ? " image, " : " images, ")
                + r.countedPixels()
                + " pixels counted, " + r.ignoredPixels() + " ignored (value " + r.ignoreValue() + ")";
    }

    private static List<String> summaryHeader(MetricReport r) {
        return List.of("aAcc (PA)", "mAcc (MPA)", "mIoU", "FWIoU", "mDice", "mPrecision", "m" + fName(r));
    }

    private static List<String> summaryValues(MetricReport r) {
        return List.of(percent(r.pixelAccuracy()), percent(r.meanPixelAccuracy()), percent(r.meanIoU()),
                percent(r.frequencyWeightedIoU()), percent(r.meanDice()), percent(r.meanPrecision()),
                percent(r.meanFScore()));
    }

    private static List<String> classHeader(MetricReport r) {
        return List.of("Class", "IoU", "Acc (recall)", "Dice", "Precision", fName(r), "GT pixels", "Pred pixels");
    }

    private static List<List<String>> classRows(MetricReport r) {
        List<List<String>> rows = new ArrayList<>();
        for (ClassMetrics c : r.classes()) {
            rows.add(List.of(c.name(), percent(c.iou()), percent(c.accuracy()), percent(c.dice()),
                    percent(c.precision()), percent(c.fScore()), Long.toString(c.truthPixels()),
                    Long.toString(c.predictedPixels())));
        }
        return rows;
    }

    static String markdown(MetricReport r) {
        StringBuilder out = new StringBuilder();
        out.append("Reduction: ").append(reductionLine(r)).append(". Scores in %.\n\n");
        appendMarkdownTable(out, summaryHeader(r), List.of(summaryValues(r)));
        out.append('\n');
        appendMarkdownTable(out, classHeader(r), classRows(r));
        return out.toString();
    }

    private static void appendMarkdownTable(StringBuilder out, List<String> header, List<List<String>> rows) {
        appendMarkdownRow(out, header);
        out.append('|');
        for (int k = 0; k < header.size(); k++) {
            out.append(k == 0 && header.get(0).equals("Class") ? " --- |" : " ---: |");
        }
        out.append('\n');
        for (List<String> row : rows) {
            appendMarkdownRow(out, row);
        }
    }

    private static void appendMarkdownRow(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String cell : cells) {
            out.append(' ').append(cell.replace("\\", "\\\\").replace("|", "\\|")).append(" |");
        }
        out.append('\n');
    }

    static String console(MetricReport r) {
        StringBuilder out = new StringBuilder();
        out.append(reductionLine(r)).append("; scores in %\n");
        appendConsoleTable(out, summaryHeader(r), List.of(summaryValues(r)));
        appendConsoleTable(out, classHeader(r), classRows(r));
        return out.toString();
    }

    /** A PrettyTable-style box: numbers right-aligned, names and headers left-aligned. */
    private static void appendConsoleTable(StringBuilder out, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int k = 0; k < header.size(); k++) {
            width[k] = header.get(k).length();
            for (List<String> row : rows) {
                width[k] = Math.max(width[k], row.get(k).length());
            }
        }
        StringBuilder rule = new StringBuilder("+");
        for (int w : width) {
            rule.append("-".repeat(w + 2)).append('+');
        }
        rule.append('\n');
        out.append(rule);
        appendConsoleRow(out, header, width, false);
        out.append(rule);
        for (List<String> row : rows) {
            appendConsoleRow(out, row, width, true);
        }
        out.append(rule);
    }

    private static void appendConsoleRow(StringBuilder out, List<String> cells, int[] width, boolean alignNumbers) {
        out.append('|');
        for (int k = 0; k < cells.size(); k++) {
            String cell = cells.get(k);
            String pad = " ".repeat(width[k] - cell.length());
            boolean right = alignNumbers && isNumber(cell);
            out.append(' ').append(right ? pad + cell : cell + pad).append(" |");
        }
        out.append('\n');
    }

    private static boolean isNumber(String cell) {
        return cell.equals("nan") || cell.matches("-?[0-9]+(\\.[0-9]+)?");
    }
}
