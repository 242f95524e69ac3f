package io.segnet.train.report;

import io.segnet.common.io.AtomicFiles;
import io.segnet.common.io.PngFiles;
import io.segnet.data.Sample;
import io.segnet.inference.render.Overlay;
import io.segnet.inference.render.Palette;
import io.segnet.metrics.ClassMetrics;
import io.segnet.metrics.MetricReport;
import io.segnet.train.log.EpochRecord;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Writes {@code report.html}: one self-contained page (inline CSS and SVG, images as {@code data:} PNGs, no script, no
 * reference to anything outside the file) with the training curves (loss, learning rate, validation metrics,
 * images/s per epoch), the final per-class table (IoU, accuracy, Dice, pixel share), the row-normalised confusion
 * matrix of the classes that occur, and validation samples as image | ground truth | prediction | error panels, with
 * the best and the worst images by IoU. Class colours come from {@link Palette#readable}, with a legend of the classes
 * present. Each part is left out when its data are missing (no curves for an evaluation, no samples without
 * validation data). Written atomically, so a reader never sees half a report.
 */
public final class RunReport {

    /** The file name in a run folder. */
    public static final String FILE = "report.html";
    /** Longest side of a panel image, in pixels. */
    static final int PANEL_SIZE = 256;

    private static final String[] SERIES_COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
        "#17becf", "#8c564b", "#e377c2"};
    private static final int IGNORE_RGB = 0x3a3a3a;
    private static final int WRONG_RGB = 0xff2d55;

    /**
     * What a report shows.
     *
     * @param title      the page title (e.g. the run folder)
     * @param facts      lines under the title (model, data, status)
     * @param epochs     the epochs so far (empty for an evaluation)
     * @param report     the latest metric report, or null
     * @param samples    the fixed sample panels (the same images every epoch)
     * @param best       the best images by IoU, best first
     * @param worst      the worst images by IoU, worst first
     * @param classNames the class names (index = class)
     */
    public record Content(String title, List<String> facts, List<EpochRecord> epochs, MetricReport report,
                          List<SamplePanel> samples, List<SamplePanel> best, List<SamplePanel> worst,
                          List<String> classNames) {
        /** Copies the lists. */
        public Content {
            Objects.requireNonNull(title, "title");
            facts = List.copyOf(facts);
            epochs = List.copyOf(epochs);
            samples = List.copyOf(samples);
            best = List.copyOf(best);
            worst = List.copyOf(worst);
            classNames = List.copyOf(classNames);
        }
    }

    private RunReport() {
    }

    /** Writes the report to {@code file}, replacing it atomically. */
    public static void write(Path file, Content content) throws IOException {
        AtomicFiles.writeString(file, true, html(content));
    }

    /** The report as HTML. */
    public static String html(Content c) {
        Palette palette = Palette.readable(Math.max(1, c.classNames().size()));
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
                .append(esc(c.title())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(c.title())).append("</h1>\n");
        for (String f : c.facts()) {
            h.append("<p class=\"fact\">").append(esc(f)).append("</p>\n");
        }
        if (c.report() != null) {
            summary(h, c.report());
        }
        if (!c.epochs().isEmpty()) {
            curves(h, c.epochs());
        }
        if (!c.samples().isEmpty() || !c.best().isEmpty()) {
            legend(h, c, palette);
            panels(h, "Validation samples", "The same images every epoch.", c.samples(), c.classNames(), palette);
            panels(h, "Best images by IoU", null, c.best(), c.classNames(), palette);
            panels(h, "Worst images by IoU", null, c.worst(), c.classNames(), palette);
        }
        if (c.report() != null) {
            classTable(h, c.report(), palette);
            confusion(h, c.report());
        }
        h.append("<p class=\"foot\">Written by segnet. Self-contained: open it anywhere, no network needed.</p>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, MetricReport r) {
        h.append("<h2>Scores</h2>\n<table class=\"scores\"><tr>");
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("pixel accuracy", r.pixelAccuracy());
        s.put("mean accuracy", r.meanPixelAccuracy());
        s.put("mean IoU", r.meanIoU());
        s.put("FW IoU", r.frequencyWeightedIoU());
        s.put("mean Dice", r.meanDice());
        for (String k : s.keySet()) {
            h.append("<th>").append(k).append("</th>");
        }
        h.append("</tr><tr>");
        for (double v : s.values()) {
            h.append("<td>").append(pct(v)).append("</td>");
        }
        h.append("</tr></table>\n<p class=\"fact\">").append(r.images()).append(" images, ")
                .append(String.format(Locale.ROOT, "%,d", r.countedPixels())).append(" pixels counted, ")
                .append(String.format(Locale.ROOT, "%,d", r.ignoredPixels())).append(" ignored; scores in %.</p>\n");
    }

    private static void curves(StringBuilder h, List<EpochRecord> epochs) {
        h.append("<h2>Training</h2>\n<div class=\"charts\">\n");
        chart(h, "training loss", epochs, Map.of("loss", EpochRecord::trainLoss));
        chart(h, "learning rate (end of epoch)", epochs, Map.of("learning rate", EpochRecord::learningRate));
        TreeSet<String> metrics = new TreeSet<>();
        epochs.forEach(e -> metrics.addAll(e.validation().keySet()));
        if (!metrics.isEmpty()) {
            Map<String, ToDoubleFunction<EpochRecord>> series = new LinkedHashMap<>();
            for (String m : metrics) {
                series.put(m, e -> {
                    Double v = e.validation().get(m);
                    return v == null ? Double.NaN : v;
                });
            }
            chart(h, "validation", epochs, series);
        }
        chart(h, "training images/s", epochs, Map.of("images/s", EpochRecord::imagesPerSecond));
        h.append("</div>\n");
    }

    /** A line chart of {@code series} over the epochs, as inline SVG. */
    private static void chart(StringBuilder h, String title, List<EpochRecord> epochs,
                              Map<String, ToDoubleFunction<EpochRecord>> series) {
        int w = 420;
        int left = 56;
        int right = 12;
        int top = 28;
        int bottom = 30;
        int legendRows = series.size() > 1 ? (series.size() + 1) / 2 : 0; // two names per row, under the x axis
        int ht = 220 + 14 * legendRows;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (ToDoubleFunction<EpochRecord> f : series.values()) {
            for (EpochRecord e : epochs) {
                double v = f.applyAsDouble(e);
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi >= lo)) {
            return;
        }
        if (hi == lo) {
            hi = lo + (lo == 0 ? 1 : Math.abs(lo) * 0.1);
        }
        int first = epochs.get(0).epoch();
        int last = epochs.get(epochs.size() - 1).epoch();
        double span = Math.max(1, last - first);
        double pw = w - left - right;
        double ph = 220 - top - bottom;
        h.append("<svg class=\"chart\" width=\"").append(w).append("\" height=\"")
                .append(ht).append("\" viewBox=\"0 0 ").append(w).append(' ').append(ht).append("\">");
        h.append("<text x=\"").append(left).append("\" y=\"16\" class=\"ct\">").append(esc(title)).append("</text>");
        h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" class=\"frame\"/>",
                left, top, pw, ph));
        for (int t = 0; t <= 4; t++) {
            double v = lo + (hi - lo) * t / 4;
            double y = top + ph - ph * t / 4;
            h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" class=\"grid\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>", left, y, left + pw, y,
                    left - 4, y + 4, tick(v)));
        }
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"tick\">epoch %d</text>"
                + "<text x=\"%.0f\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%d</text>", left, 212, first,
                left + pw, 212, last));
        int s = 0;
        for (Map.Entry<String, ToDoubleFunction<EpochRecord>> e : series.entrySet()) {
            String color = SERIES_COLORS[s % SERIES_COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (EpochRecord r : epochs) {
                double v = e.getValue().applyAsDouble(r);
                if (!Double.isFinite(v)) {
                    continue;
                }
                double x = left + pw * (r.epoch() - first) / span;
                double y = top + ph - ph * (v - lo) / (hi - lo);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                h.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", x, y,
                        color));
            }
            h.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.8\" points=\"")
                    .append(pts.toString().strip()).append("\"/>");
            if (legendRows > 0) {
                h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>", left + (s % 2) * 180,
                        226 + (s / 2) * 14, color, left + 14 + (s % 2) * 180, 230 + (s / 2) * 14, esc(e.getKey())));
            }
            s++;
        }
        h.append("</svg>\n");
    }

    private static void legend(StringBuilder h, Content c, Palette palette) {
        TreeSet<Integer> present = new TreeSet<>();
        for (List<SamplePanel> list : List.of(c.samples(), c.best(), c.worst())) {
            for (SamplePanel p : list) {
                for (int v : p.sample().mask()) {
                    if (v >= 0 && v < c.classNames().size()) {
                        present.add(v);
                    }
                }
                for (int v : p.prediction()) {
                    if (v >= 0 && v < c.classNames().size()) {
                        present.add(v);
                    }
                }
            }
        }
        h.append("<h2>Samples</h2>\n<p class=\"legend\">");
        int background = Overlay.namedBackground(c.classNames());
        if (background >= 0) {
            present.remove(background);
            h.append("<span>").append(esc(c.classNames().get(background))).append(": the dimmed image</span>");
        }
        for (int k : present) {
            h.append("<span><i style=\"background:").append(hex(palette.rgb(k))).append("\"></i>").append(k)
                    .append(' ').append(esc(c.classNames().get(k))).append("</span>");
        }
        h.append("<span><i style=\"background:").append(hex(IGNORE_RGB)).append("\"></i>ignored</span>")
                .append("<span><i style=\"background:").append(hex(WRONG_RGB))
                .append("\"></i>error: wrong class</span></p>\n");
    }

    private static void panels(StringBuilder h, String title, String note, List<SamplePanel> panels,
                               List<String> classNames, Palette palette) {
        if (panels.isEmpty()) {
            return;
        }
        h.append("<h3>").append(esc(title)).append("</h3>\n");
        if (note != null) {
            h.append("<p class=\"fact\">").append(esc(note)).append("</p>\n");
        }
        h.append("<table class=\"panels\"><tr><th>image</th><th>ground truth</th><th>prediction</th><th>error</th>"
                + "</tr>\n");
        int background = Overlay.namedBackground(classNames);
        for (SamplePanel p : panels) {
            Sample s = p.sample();
            int[] size = panelSize(s.height(), s.width());
            h.append("<tr>");
            for (BufferedImage img : List.of(image(s, size), classes(s.mask(), s, size, palette, s.ignoreValue(),
                    background), classes(p.prediction(), s, size, palette, Integer.MIN_VALUE, background),
                    errors(p, size))) {
                h.append("<td><img alt=\"").append(esc(s.id())).append("\" width=\"").append(size[1])
                        .append("\" height=\"").append(size[0]).append("\" src=\"data:image/png;base64,")
                        .append(png(img)).append("\"/></td>");
            }
            h.append("</tr><tr><td colspan=\"4\" class=\"cap\">").append(esc(s.id())).append(" (")
                    .append(s.height()).append('x').append(s.width()).append("), IoU ").append(pct(p.meanIoU()))
                    .append("%</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void classTable(StringBuilder h, MetricReport r, Palette palette) {
        long total = 0;
        for (ClassMetrics m : r.classes()) {
            total += m.truthPixels();
        }
        h.append("<h2>Classes</h2>\n<table class=\"classes\"><tr><th>class</th><th>IoU</th><th>accuracy</th>"
                + "<th>Dice</th><th>pixel share</th><th>predicted share</th></tr>\n");
        for (int k = 0; k < r.classes().size(); k++) {
            ClassMetrics m = r.classes().get(k);
            h.append("<tr><td><i style=\"background:").append(hex(palette.rgb(k))).append("\"></i>").append(k)
                    .append(' ').append(esc(m.name())).append("</td><td>").append(pct(m.iou())).append("</td><td>")
                    .append(pct(m.accuracy())).append("</td><td>").append(pct(m.dice())).append("</td><td>")
                    .append(share(m.truthPixels(), total)).append("</td><td>").append(share(m.predictedPixels(), total))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void confusion(StringBuilder h, MetricReport r) {
        long[][] counts = r.confusionMatrix();
        double[][] rows = r.rowNormalizedConfusion();
        List<Integer> shown = new ArrayList<>();
        for (int k = 0; k < counts.length; k++) {
            long row = 0;
            long col = 0;
            for (int j = 0; j < counts.length; j++) {
                row += counts[k][j];
                col += counts[j][k];
            }
            if (row > 0 || col > 0) {
                shown.add(k);
            }
        }
        h.append("<h2>Confusion matrix</h2>\n<p class=\"fact\">Rows: true class; columns: predicted class; each row"
                + " sums to 100%. Classes in neither the truth nor the predictions are left out.</p>\n");
        h.append("<table class=\"confusion\"><tr><th>true \\ predicted</th>");
        for (int j : shown) {
            h.append("<th class=\"v\"><span>").append(esc(r.classNames().get(j))).append("</span></th>");
        }
        h.append("</tr>\n");
        for (int k : shown) {
            h.append("<tr><th>").append(esc(r.classNames().get(k))).append("</th>");
            for (int j : shown) {
                double v = rows[k][j];
                if (!Double.isFinite(v) || v == 0) {
                    h.append("<td></td>");
                    continue;
                }
                String bg = String.format(Locale.ROOT, "rgba(%s,%.3f)", k == j ? "44,160,44" : "214,39,40",
                        0.12 + 0.88 * v);
                h.append("<td style=\"background:").append(bg).append("\" title=\"")
                        .append(esc(r.classNames().get(k))).append(" as ").append(esc(r.classNames().get(j)))
                        .append(": ").append(counts[k][j]).append(" px\">").append(v >= 0.005 ? String.format(
                                Locale.ROOT, "%.0f", 100 * v) : "").append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    // ---- images ----------------------------------------------------------------------------------------------------

    /**
     * The panel size of an {@code h x w} image: longest side at most {@link #PANEL_SIZE}, small images enlarged by a
     * whole factor to about half of it, aspect kept.
     */
    static int[] panelSize(int h, int w) {
        int m = Math.max(h, w);
        double f = Math.min((double) PANEL_SIZE / m, Math.max(1.0, Math.floor(PANEL_SIZE / 2.0 / m)));
        return new int[]{Math.max(1, (int) Math.round(h * f)), Math.max(1, (int) Math.round(w * f))};
    }

    private static int sourceIndex(int y, int x, Sample s, int[] size) {
        int sy = Math.min(s.height() - 1, (int) ((y + 0.5) * s.height() / size[0]));
        int sx = Math.min(s.width() - 1, (int) ((x + 0.5) * s.width() / size[1]));
        return sy * s.width() + sx;
    }

    private static int gray(Sample s, int i) {
        int plane = s.height() * s.width();
        float[] px = s.image();
        if (s.channels() >= 3) {
            return rgb(px[i], px[plane + i], px[2 * plane + i]);
        }
        return rgb(px[i], px[i], px[i]);
    }

    private static int rgb(float r, float g, float b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }

    private static BufferedImage image(Sample s, int[] size) {
        BufferedImage out = new BufferedImage(size[1], size[0], BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size[0]; y++) {
            for (int x = 0; x < size[1]; x++) {
                out.setRGB(x, y, gray(s, sourceIndex(y, x, s, size)));
            }
        }
        return out;
    }

    /** Class colours; the named background class shows the dimmed image, so the classes stand out. */
    private static BufferedImage classes(int[] map, Sample s, int[] size, Palette palette, int ignoreValue,
                                         int background) {
        BufferedImage out = new BufferedImage(size[1], size[0], BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size[0]; y++) {
            for (int x = 0; x < size[1]; x++) {
                int i = sourceIndex(y, x, s, size);
                int v = map[i];
                out.setRGB(x, y, v == ignoreValue || v < 0 || v >= palette.size() ? IGNORE_RGB
                        : v == background ? dim(gray(s, i)) : palette.rgb(v));
            }
        }
        return out;
    }

    private static int dim(int rgb) {
        return (((rgb >> 16) & 0xFF) / 3 << 16) | (((rgb >> 8) & 0xFF) / 3 << 8) | ((rgb & 0xFF) / 3);
    }

    /** Wrong pixels in red over the darkened image; ignored pixels gray. */
    private static BufferedImage errors(SamplePanel p, int[] size) {
        Sample s = p.sample();
        BufferedImage out = new BufferedImage(size[1], size[0], BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size[0]; y++) {
            for (int x = 0; x < size[1]; x++) {
                int i = sourceIndex(y, x, s, size);
                int t = s.mask()[i];
                int c;
                if (t == s.ignoreValue()) {
                    c = IGNORE_RGB;
                } else if (p.prediction()[i] != t) {
                    c = WRONG_RGB;
                } else {
                    c = dim(gray(s, i));
                }
                out.setRGB(x, y, c);
            }
        }
        return out;
    }

    private static String png(BufferedImage img) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            PngFiles.encode(img, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    // ---- text ------------------------------------------------------------------------------------------------------

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", 100 * v) : "n/a";
    }

    private static String share(long n, long total) {
        return total == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f%%", 100.0 * n / total);
    }

    private static String tick(double v) {
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.1e", v)
                : String.format(Locale.ROOT, a < 1 ? "%.4f" : "%.2f", v);
    }

    private static String hex(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb & 0xFFFFFF);
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d1d1f;background:#fafafa}
            h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
            .fact{color:#555;margin:2px 0;font-size:13px}.foot{color:#888;font-size:12px;margin-top:32px}
            table{border-collapse:collapse;font-size:13px}td,th{padding:3px 8px;border:1px solid #ddd;text-align:right}
            th{background:#f0f0f0}.scores td{font-size:16px;font-weight:600}
            .classes td:first-child,.confusion th{text-align:left}
            i{display:inline-block;width:11px;height:11px;margin-right:5px;vertical-align:-1px;border:1px solid #0003}
            .legend span{display:inline-block;margin:2px 12px 2px 0;font-size:13px}
            .charts svg{margin:0 12px 12px 0;background:#fff;border:1px solid #ddd}
            .ct{font-size:13px;font-weight:600}.tick{font-size:11px;fill:#555}.frame{fill:none;stroke:#bbb}
            .grid{stroke:#eee}.panels td{border:none;padding:2px;text-align:center}.panels th{border:none}
            .cap{font-size:12px;color:#555;padding-bottom:10px}.panels img{image-rendering:pixelated}
            .confusion td{min-width:22px;font-size:11px;text-align:center}
            .confusion th.v{height:110px;vertical-align:bottom;padding:2px}
            .confusion th.v span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}
            """;
}
