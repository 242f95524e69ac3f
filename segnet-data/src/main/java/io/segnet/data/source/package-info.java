/**
 * Where a training run's samples come from, as typed settings: {@link io.segnet.data.source.DataSource} with
 * {@link io.segnet.data.source.M2nistSource} (generated M2NIST), {@link io.segnet.data.source.MembraneSource} (the
 * ISBI 2012 membrane images) and {@link io.segnet.data.source.FolderSource} (image and mask folders), read from
 * YAML/JSON under a {@code type} tag and validated on construction; {@code open()} yields the training and
 * validation samples.
 */
package io.segnet.data.source;
