/**
 * The run report: {@code report.html}, a self-contained page (charts as inline SVG, images as embedded PNGs, no
 * script, nothing fetched) that shows what a model does: training curves, the per-class table, the row-normalised
 * confusion matrix and validation samples as image | ground truth | prediction | error panels, with the best and the
 * worst images by IoU. {@link io.segnet.train.report.RunReport} writes it; the trainer rewrites it after every epoch
 * and {@code segnet evaluate --report DIR} writes it for any saved model and data set.
 */
package io.segnet.train.report;
