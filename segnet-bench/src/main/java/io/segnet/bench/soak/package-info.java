/**
 * The memory soak ({@code segnet soak}): {@link io.segnet.bench.soak.TrainingSoak} trains the quickstart's model for
 * thousands of steps and prints the resident memory, JavaCPP's off-heap bytes and the Java heap over time.
 */
package io.segnet.bench.soak;
