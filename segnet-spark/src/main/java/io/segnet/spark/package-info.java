/**
 * segnet on Apache Spark 3.5: batch prediction ({@link io.segnet.spark.SparkPrediction}), evaluation
 * ({@link io.segnet.spark.SparkEvaluation}, the same report as a single machine's) and data-parallel training by
 * parameter averaging ({@link io.segnet.spark.SparkTraining}, {@link io.segnet.spark.SparkStepExecutor}), with
 * images and masks on any Hadoop file system ({@link io.segnet.spark.HadoopFiles}). A saved model goes to each
 * executor once ({@link io.segnet.spark.SparkModel}); {@link io.segnet.spark.SparkMain} is the {@code spark-submit}
 * entry point. See {@code docs/spark.md}.
 */
package io.segnet.spark;
