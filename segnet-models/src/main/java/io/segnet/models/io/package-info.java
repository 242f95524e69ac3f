/**
 * Model files: {@link io.segnet.models.io.ModelArchive}, the one writer (and reader) of the zip that holds a DL4J
 * graph with its parameters and optimiser state plus segnet's entries (config, model card, a checkpoint's trainer
 * state).
 */
package io.segnet.models.io;
