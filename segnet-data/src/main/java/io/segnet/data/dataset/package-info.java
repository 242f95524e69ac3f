/**
 * Data sets: {@link io.segnet.data.dataset.SegmentationDataset} pairs an image folder with a mask folder
 * by file stem and decodes on demand; {@link io.segnet.data.dataset.DatasetConfig} says how (classes,
 * mask format, ignore value, channels, mask suffix); {@link io.segnet.data.dataset.ValidationReport}
 * lists every problem of a data set at once; {@link io.segnet.data.dataset.Split} holds a train and a
 * validation part (from stems, a split file or a seed); {@link io.segnet.data.dataset.InMemorySource}
 * keeps decoded samples; {@link io.segnet.data.dataset.MembraneDataset} loads the ISBI 2012 membrane set.
 *
 * <p>One line for the common case:
 * <pre>{@code
 * SegmentationDataset ds = SegmentationDataset.fromFolders(Path.of("data/x/image"), Path.of("data/x/label"),
 *         DatasetConfig.binary255());
 * System.out.println(ds.validate());
 * }</pre>
 */
package io.segnet.data.dataset;
