package io.segnet.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.segnet.common.io.AtomicFiles;
import io.segnet.common.json.JsonMappers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The result of an evaluation: summary scores, one {@link ClassMetrics} row per class and the data-set confusion
 * matrix. Immutable (lists and the matrix are copied in and out) and validated on construction.
 *
 * <p>Scores are fractions in [0, 1] ({@link #toMarkdown()} and {@link #toConsoleTable()} print them in percent with
 * two decimals, as mmsegmentation does), or NaN when undefined. The formulas are those of {@link SegmentationMetrics};
 * the names mmsegmentation logs are given with each field. Under {@link Reduction#IMAGEWISE} the per-class rows are
 * means over images, the summary means are means of those rows over classes, and pixel accuracy and FWIoU are means
 * over images; the confusion matrix and pixel counts are always data-set totals.
 *
 * <p>JSON: {@link #toJson()}, {@link #fromJson(String)}, {@link #writeJson} and {@link #readJson}, through Jackson
 * with any {@code ObjectMapper}. NaN is written as JSON {@code null} and read back as NaN ({@link NanAsNull}), so the
 * file is standard JSON and a round trip gives an equal report. Files are written atomically and never replace an
 * existing file unless asked to (see {@link #writeJson}).
 *
 * @param reduction how per-pixel counts became scores
 * @param ignoreValue the ground-truth value whose pixels were skipped
 * @param fScoreBeta beta of the F-scores
 * @param zeroDivision for {@link Reduction#IMAGEWISE}: the score given to an undefined per-image class score, or NaN
 *     when such scores were left out
 * @param images number of images evaluated
 * @param ignoredPixels pixels skipped because their ground truth was the ignore value
 * @param pixelAccuracy PA, {@code sum_i n_ii / sum_i t_i} (mmsegmentation {@code aAcc})
 * @param meanPixelAccuracy MPA, nanmean of per-class accuracy {@code n_ii / t_i} (FCN "mean accuracy",
 *     mmsegmentation {@code mAcc}; also {@code mRecall})
 * @param meanIoU MIoU, nanmean of per-class IoU (mmsegmentation {@code mIoU})
 * @param frequencyWeightedIoU FWIoU, {@code (sum_k t_k)^-1 sum_i t_i IoU_i} (FCN "frequency weighted IU")
 * @param meanDice nanmean of per-class Dice (mmsegmentation {@code mDice})
 * @param meanPrecision nanmean of per-class precision (mmsegmentation {@code mPrecision})
 * @param meanFScore nanmean of per-class F-score (mmsegmentation {@code mFscore}; see
 *     {@link SegmentationMetrics#classFScore} for where the two differ)
 * @param classes one row per class, in class-id order; names distinct
 * @param confusionMatrix {@code C x C} pixel counts over the data set, {@code [truth][prediction]}
 */
public record MetricReport(
        Reduction reduction,
        int ignoreValue,
        double fScoreBeta,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double zeroDivision,
        long images,
        long ignoredPixels,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double pixelAccuracy,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double meanPixelAccuracy,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double meanIoU,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double frequencyWeightedIoU,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double meanDice,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double meanPrecision,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double meanFScore,
        List<ClassMetrics> classes,
        long[][] confusionMatrix) {

    private static final ObjectMapper JSON = JsonMappers.JSON;
    private static final ObjectReader READER = JsonMappers.completeReader(MetricReport.class);

    /**
     * Validates every field and copies {@code classes} and {@code confusionMatrix}: the matrix must be
     * {@code C x C} with non-negative counts, each row's {@code truthPixels} / {@code predictedPixels} must equal the
     * matrix's row / column sum, and every score must be in [0, 1] or NaN.
     */
    public MetricReport {
        Objects.requireNonNull(reduction, "reduction");
        SegmentationMetrics.requireBeta(fScoreBeta);
        if (!Double.isNaN(zeroDivision) && !(zeroDivision >= 0 && zeroDivision <= 1)) {
            throw new IllegalArgumentException("zeroDivision is " + zeroDivision + "; it must be NaN or in [0, 1]");
        }
        if (images < 0 || ignoredPixels < 0) {
            throw new IllegalArgumentException("images (" + images + ") and ignoredPixels (" + ignoredPixels
                    + ") cannot be negative");
        }
        ClassMetrics.requireScore("report", "pixelAccuracy", pixelAccuracy);
        ClassMetrics.requireScore("report", "meanPixelAccuracy", meanPixelAccuracy);
        ClassMetrics.requireScore("report", "meanIoU", meanIoU);
        ClassMetrics.requireScore("report", "frequencyWeightedIoU", frequencyWeightedIoU);
        ClassMetrics.requireScore("report", "meanDice", meanDice);
        ClassMetrics.requireScore("report", "meanPrecision", meanPrecision);
        ClassMetrics.requireScore("report", "meanFScore", meanFScore);
        Objects.requireNonNull(classes, "classes");
        classes = List.copyOf(classes);
        List<String> names = new ArrayList<>(classes.size());
        for (ClassMetrics row : classes) {
            names.add(row.name());
        }
        MetricConfig.requireClassNames(names);
        int c = classes.size();
        if (ignoreValue >= 0 && ignoreValue < c) {
            throw new IllegalArgumentException("ignoreValue " + ignoreValue + " is a class id (classes are 0.."
                    + (c - 1) + ")");
        }
        confusionMatrix = copyMatrix(Objects.requireNonNull(confusionMatrix, "confusionMatrix"), c);
        for (int i = 0; i < c; i++) {
            long truth = 0;
            long predicted = 0;
            for (int j = 0; j < c; j++) {
                truth += confusionMatrix[i][j];
                predicted += confusionMatrix[j][i];
            }
            ClassMetrics row = classes.get(i);
            if (row.truthPixels() != truth || row.predictedPixels() != predicted) {
                throw new IllegalArgumentException("class '" + row.name() + "' has truthPixels "
                        + row.truthPixels() + " and predictedPixels " + row.predictedPixels()
                        + ", but the confusion matrix's row and column " + i + " sum to " + truth + " and "
                        + predicted);
            }
        }
    }

    /**
     * The {@link Reduction#DATASET} report of a confusion matrix: every score derived from {@code matrix} by
     * {@link SegmentationMetrics}.
     *
     * @param matrix the counts over the whole data set
     * @param classNames one distinct name per class id
     * @param fScoreBeta beta of the F-scores (1 gives F1)
     * @param images number of images the matrix counts (only reported)
     */
    public static MetricReport of(ConfusionMatrix matrix, List<String> classNames, double fScoreBeta, long images) {
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(classNames, "classNames");
        if (classNames.size() != matrix.numClasses()) {
            throw new IllegalArgumentException("there are " + classNames.size() + " class names for a matrix of "
                    + matrix.numClasses() + " classes; give one name per class id");
        }
        double[] iou = SegmentationMetrics.classIoU(matrix);
        double[] accuracy = SegmentationMetrics.classAccuracy(matrix);
        double[] precision = SegmentationMetrics.classPrecision(matrix);
        double[] dice = SegmentationMetrics.classDice(matrix);
        double[] fScore = SegmentationMetrics.classFScore(matrix, fScoreBeta);
        return assemble(Reduction.DATASET, Double.NaN, matrix, classNames, fScoreBeta, images,
                SegmentationMetrics.pixelAccuracy(matrix), SegmentationMetrics.frequencyWeightedIoU(matrix),
                iou, accuracy, precision, dice, fScore);
    }

    /** Builds a report from per-class scores; the summary means are their nanmeans. */
    static MetricReport assemble(Reduction reduction, double zeroDivision, ConfusionMatrix matrix,
            List<String> classNames, double fScoreBeta, long images, double pixelAccuracy,
            double frequencyWeightedIoU, double[] iou, double[] accuracy, double[] precision, double[] dice,
            double[] fScore) {
        long[] t = matrix.truthTotals();
        long[] p = matrix.predictionTotals();
        List<ClassMetrics> rows = new ArrayList<>(classNames.size());
        for (int i = 0; i < classNames.size(); i++) {
            rows.add(new ClassMetrics(classNames.get(i), iou[i], accuracy[i], precision[i], dice[i], fScore[i], t[i],
                    p[i]));
        }
        return new MetricReport(reduction, matrix.ignoreValue(), fScoreBeta, zeroDivision, images,
                matrix.ignoredPixels(), pixelAccuracy, SegmentationMetrics.nanMean(accuracy),
                SegmentationMetrics.nanMean(iou), frequencyWeightedIoU, SegmentationMetrics.nanMean(dice),
                SegmentationMetrics.nanMean(precision), SegmentationMetrics.nanMean(fScore), rows,
                matrix.toArray());
    }

    /** A copy of the confusion matrix, {@code [truth][prediction]}. */
    @Override
    public long[][] confusionMatrix() {
        return copyMatrix(confusionMatrix, confusionMatrix.length);
    }

    /** The confusion matrix as a {@link ConfusionMatrix}, with this report's ignore value and ignored pixels. */
    public ConfusionMatrix toConfusionMatrix() {
        return ConfusionMatrix.fromCounts(confusionMatrix, ignoreValue, ignoredPixels);
    }

    /** Class names in class-id order. */
    public List<String> classNames() {
        List<String> names = new ArrayList<>(classes.size());
        for (ClassMetrics row : classes) {
            names.add(row.name());
        }
        return List.copyOf(names);
    }

    /** Number of classes {@code C}. */
    public int numClasses() {
        return classes.size();
    }

    /** Mean recall (mmsegmentation {@code mRecall}): the same value as {@link #meanPixelAccuracy()}. */
    public double meanRecall() {
        return meanPixelAccuracy;
    }

    /** Pixels counted (ground truth not the ignore value): the sum of the confusion matrix. */
    public long countedPixels() {
        long s = 0;
        for (long[] row : confusionMatrix) {
            for (long v : row) {
                s += v;
            }
        }
        return s;
    }

    /**
     * The row-normalised confusion matrix: {@code n_ij / t_i}, the fraction of class {@code i}'s ground-truth pixels
     * predicted as {@code j}; each row with {@code t_i > 0} sums to 1, a row with {@code t_i = 0} is all NaN.
     */
    public double[][] rowNormalizedConfusion() {
        int c = confusionMatrix.length;
        double[][] out = new double[c][c];
        for (int i = 0; i < c; i++) {
            long t = 0;
            for (long v : confusionMatrix[i]) {
                t += v;
            }
            for (int j = 0; j < c; j++) {
                out[i][j] = t == 0 ? Double.NaN : (double) confusionMatrix[i][j] / t;
            }
        }
        return out;
    }

    /** This report as indented JSON; NaN scores are {@code null}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the report as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a report written by {@link #toJson()}; {@code null} scores become NaN.
     *
     * @throws IllegalArgumentException if the text is not such a report (the message says what is wrong)
     */
    public static MetricReport fromJson(String json) {
        Objects.requireNonNull(json, "json");
        try {
            return READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a segnet metric report: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Writes {@link #toJson()} to {@code file} (UTF-8), through a temporary file in the same directory moved into
     * place atomically; the parent directories are created.
     *
     * @param overwrite whether an existing file may be replaced; if false and the file exists, nothing is written
     * @throws java.nio.file.FileAlreadyExistsException if the file exists and {@code overwrite} is false
     */
    public void writeJson(Path file, boolean overwrite) throws IOException {
        byte[] bytes = toJson().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, overwrite, out -> out.write(bytes));
    }

    /**
     * Reads a report written by {@link #writeJson}.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a report (the message names the file)
     */
    public static MetricReport readJson(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return fromJson(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The summary and the per-class table as GitHub Markdown, scores in percent with two decimals. */
    public String toMarkdown() {
        return ReportText.markdown(this);
    }

    /** The summary and the per-class table as a fixed-width text table for a console or log. */
    public String toConsoleTable() {
        return ReportText.console(this);
    }

    /**
     * Writes a PNG heat map of the {@linkplain #rowNormalizedConfusion() row-normalised confusion matrix}: truth
     * classes down the left (class 0 at the top), predicted classes along the bottom, both labelled with the class
     * names, each cell's fraction printed in it (when the cells are large enough to hold the text: at least about 26
     * x 12 pixels), a colour scale from 0 to 1. Rows of classes without ground-truth pixels are left blank. Drawn
     * with XChart's {@code HeatMapChart}.
     *
     * <p>The image is written to a temporary file in the same directory and moved into place atomically; the parent
     * directories are created.
     *
     * @param file the PNG file to write
     * @param width image width in pixels, at least 200
     * @param height image height in pixels, at least 200
     * @param overwrite whether an existing file may be replaced; if false and the file exists, nothing is written
     * @throws java.nio.file.FileAlreadyExistsException if the file exists and {@code overwrite} is false
     */
    public void writeConfusionHeatmap(Path file, int width, int height, boolean overwrite) throws IOException {
        ConfusionHeatmap.write(this, file, width, height, overwrite);
    }

    /** Equal when every field is equal; scores compare with {@link Double#compare} (so NaN equals NaN). */
    @Override
    public boolean equals(Object o) {
        return o instanceof MetricReport r && r.reduction == reduction && r.ignoreValue == ignoreValue
                && Double.compare(r.fScoreBeta, fScoreBeta) == 0 && Double.compare(r.zeroDivision, zeroDivision) == 0
                && r.images == images && r.ignoredPixels == ignoredPixels
                && Double.compare(r.pixelAccuracy, pixelAccuracy) == 0
                && Double.compare(r.meanPixelAccuracy, meanPixelAccuracy) == 0
                && Double.compare(r.meanIoU, meanIoU) == 0
                && Double.compare(r.frequencyWeightedIoU, frequencyWeightedIoU) == 0
                && Double.compare(r.meanDice, meanDice) == 0 && Double.compare(r.meanPrecision, meanPrecision) == 0
                && Double.compare(r.meanFScore, meanFScore) == 0 && r.classes.equals(classes)
                && Arrays.deepEquals(r.confusionMatrix, confusionMatrix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reduction, ignoreValue, fScoreBeta, zeroDivision, images, ignoredPixels, pixelAccuracy,
                meanPixelAccuracy, meanIoU, frequencyWeightedIoU, meanDice, meanPrecision, meanFScore, classes,
                Arrays.deepHashCode(confusionMatrix));
    }

    /** A one-line summary; {@link #toConsoleTable()} gives the full table. */
    @Override
    public String toString() {
        return String.format("MetricReport[%s, %d classes, %d images, PA %s, MPA %s, MIoU %s, FWIoU %s, mDice %s]",
                reduction, classes.size(), images, ReportText.percent(pixelAccuracy),
                ReportText.percent(meanPixelAccuracy), ReportText.percent(meanIoU),
                ReportText.percent(frequencyWeightedIoU), ReportText.percent(meanDice));
    }

    private static long[][] copyMatrix(long[][] m, int c) {
        if (m.length != c) {
            throw new IllegalArgumentException("the confusion matrix has " + m.length + " rows for " + c
                    + " classes; it must be C x C");
        }
        long[][] out = new long[c][];
        for (int i = 0; i < c; i++) {
            if (m[i] == null || m[i].length != c) {
                throw new IllegalArgumentException("confusion matrix row " + i + " has "
                        + (m[i] == null ? "no" : String.valueOf(m[i].length)) + " entries for " + c
                        + " classes; it must be C x C");
            }
            for (int j = 0; j < c; j++) {
                if (m[i][j] < 0) {
                    throw new IllegalArgumentException("confusion matrix entry [" + i + "][" + j + "] is " + m[i][j]
                            + "; pixel counts cannot be negative");
                }
            }
            out[i] = m[i].clone();
        }
        return out;
    }
}
