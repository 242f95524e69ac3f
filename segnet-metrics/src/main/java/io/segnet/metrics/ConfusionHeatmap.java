package io.segnet.metrics;

import io.segnet.common.io.PngFiles;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;

/**
 * Draws the row-normalised confusion matrix of a {@link MetricReport} as a heat map with XChart: truth down the left
 * (class 0 at the top), prediction along the bottom, class names on both axes, fractions in the cells.
 */
final class ConfusionHeatmap {

    /** Smallest and largest image side accepted, in pixels. */
    static final int MIN_SIDE = 200;
    static final int MAX_SIDE = 16384;

    private static final Color LOW = Color.WHITE;
    private static final Color HIGH = new Color(33, 113, 181);

    private ConfusionHeatmap() {
    }

    static void write(MetricReport report, Path file, int width, int height, boolean overwrite) throws IOException {
        PngFiles.write(file, render(report, width, height), overwrite);
    }

    static BufferedImage render(MetricReport report, int width, int height) {
        if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("heat map size " + width + " x " + height + " is out of range; give "
                    + "a width and height between " + MIN_SIDE + " and " + MAX_SIDE + " pixels");
        }
        int c = report.numClasses();
        List<String> predicted = report.classNames();
        List<String> truth = new ArrayList<>(predicted);
        Collections.reverse(truth);
        double[][] fraction = report.rowNormalizedConfusion();
        List<Number[]> cells = new ArrayList<>(c * c);
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                if (!Double.isNaN(fraction[i][j])) {
                    cells.add(new Number[] {j, c - 1 - i, fraction[i][j]});
                }
            }
        }

        HeatMapChart chart = new HeatMapChartBuilder().width(width).height(height)
                .title("Confusion matrix, row-normalised (mIoU " + ReportText.percent(report.meanIoU()) + "%)")
                .xAxisTitle("Predicted class").yAxisTitle("True class").build();
        chart.addSeries("fraction of the true class", predicted, truth, cells);

        // Rough plot-area share of the image, to size the text to the cells.
        double cellWidth = width * 0.62 / c;
        double cellHeight = height * 0.62 / c;
        HeatMapStyler styler = chart.getStyler();
        styler.setMin(0).setMax(1).setRangeColors(new Color[] {LOW, HIGH});
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesVisible(false);
        styler.setXAxisLabelRotation(90);
        int labelSize = (int) Math.max(6, Math.min(13, cellHeight * 0.7));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, labelSize));
        boolean valuesFit = cellWidth >= 26 && cellHeight >= 12;
        styler.setShowValue(valuesFit);
        if (valuesFit) {
            int valueSize = (int) Math.max(7, Math.min(14, Math.min(cellHeight * 0.5, cellWidth / 3.2)));
            styler.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, valueSize));
            styler.setValueFontColor(Color.BLACK);
            styler.setHeatMapValueDecimalPattern("0.00");
        }
        return BitmapEncoder.getBufferedImage(chart);
    }
}
