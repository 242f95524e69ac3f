package io.segnet.train.log;

import io.segnet.common.io.PngFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training curve as a PNG: training loss against iterations (left axis; the step records, or the epoch means
 * when there are fewer than two step records) and the validation scores of each epoch (right axis, 0 to 1): the monitored metric, mean IoU
 * and pixel accuracy. Drawn with XChart; written atomically ({@link PngFiles}: no temporary files, works during a
 * JVM shutdown).
 */
public final class TrainingCurve {

    private TrainingCurve() {
    }

    /**
     * Draws the records and writes the PNG.
     *
     * @param file      the PNG to write
     * @param records   the log's records
     * @param overwrite whether an existing file may be replaced
     * @throws IllegalArgumentException if there is nothing to draw yet
     */
    public static void write(Path file, List<LogRecord> records, boolean overwrite) throws IOException {
        PngFiles.write(file, BitmapEncoder.getBufferedImage(chart(records)), overwrite);
    }

    /** The chart of the records (900x500). */
    public static XYChart chart(List<LogRecord> records) {
        List<Double> stepX = new ArrayList<>();
        List<Double> stepLoss = new ArrayList<>();
        List<Double> epochX = new ArrayList<>();
        List<Double> epochLoss = new ArrayList<>();
        List<Double> miou = new ArrayList<>();
        List<Double> pa = new ArrayList<>();
        List<Double> valX = new ArrayList<>();
        for (LogRecord r : records) {
            if (r instanceof StepRecord s && Double.isFinite(s.loss())) {
                stepX.add((double) s.iteration());
                stepLoss.add(s.loss());
            } else if (r instanceof EpochRecord e) {
                if (Double.isFinite(e.trainLoss())) {
                    epochX.add((double) e.iteration());
                    epochLoss.add(e.trainLoss());
                }
                Double m = e.validation().get("meanIoU");
                Double p = e.validation().get("pixelAccuracy");
                if (m != null || p != null) {
                    valX.add((double) e.iteration());
                    miou.add(m == null ? Double.NaN : m);
                    pa.add(p == null ? Double.NaN : p);
                }
            }
        }
        if (stepX.isEmpty() && epochX.isEmpty()) {
            throw new IllegalArgumentException("the metrics log holds no training loss yet; nothing to draw");
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Training curve").xAxisTitle("iteration")
                .yAxisTitle("training loss").build();
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisDecimalPattern("0.###");
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        boolean steps = stepX.size() >= 2 || epochX.isEmpty();
        XYSeries loss = steps ? chart.addSeries("training loss", stepX, stepLoss)
                : chart.addSeries("training loss (epoch mean)", epochX, epochLoss);
        loss.setMarker(steps ? SeriesMarkers.NONE : SeriesMarkers.SQUARE);
        loss.setLineColor(new Color(0x1f77b4));
        if (!valX.isEmpty()) {
            XYSeries m = chart.addSeries("validation mIoU", valX, miou);
            m.setYAxisGroup(1);
            m.setMarker(SeriesMarkers.CIRCLE);
            m.setLineColor(new Color(0xd62728));
            m.setMarkerColor(new Color(0xd62728));
            XYSeries p = chart.addSeries("validation pixel accuracy", valX, pa);
            p.setYAxisGroup(1);
            p.setMarker(SeriesMarkers.DIAMOND);
            p.setLineColor(new Color(0x2ca02c));
            p.setMarkerColor(new Color(0x2ca02c));
            chart.setYAxisGroupTitle(1, "validation score");
            chart.getStyler().setYAxisMin(1, 0.0);
            chart.getStyler().setYAxisMax(1, 1.0);
        }
        return chart;
    }
}
