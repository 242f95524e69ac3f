package io.segnet.train.log;

/**
 * Training progress within an epoch, logged every few iterations.
 *
 * @param epoch           the epoch, from 1
 * @param iteration       optimiser iterations completed
 * @param loss            mean training loss over the iterations since the previous step record
 * @param learningRate    the learning rate of the last of those iterations
 * @param imagesPerSecond training throughput over those iterations (data loading included)
 */
public record StepRecord(int epoch, long iteration, double loss, double learningRate, double imagesPerSecond)
        implements LogRecord {
}
