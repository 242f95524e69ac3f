/**
 * Augmentation and preprocessing applied identically to image and mask: {@link
 * io.segnet.data.transform.RandomFlip}, {@link io.segnet.data.transform.RandomScaleCrop} (mask padded with
 * the ignore value), {@link io.segnet.data.transform.RandomRotation} (nearest-neighbour for masks), {@link
 * io.segnet.data.transform.ElasticDeformation} (U-Net's smooth random deformation), {@link
 * io.segnet.data.transform.ColorJitter} (image only), {@link io.segnet.data.transform.Normalize}, {@link
 * io.segnet.data.transform.Resize} and {@link io.segnet.data.transform.PadToMultiple} for inference, chained
 * with {@link io.segnet.data.transform.Compose}; {@link io.segnet.data.transform.Augmentation} holds a training
 * run's augmentation settings and builds that chain.
 *
 * <p>Every transform takes its randomness from an {@link io.segnet.data.Rng}; given
 * {@code Rng.of(seed, epoch, index)} a pipeline's output depends on nothing else, so runs are reproducible
 * whatever the thread count. Transforms are records: their parameters are data, validated on construction.
 */
package io.segnet.data.transform;
