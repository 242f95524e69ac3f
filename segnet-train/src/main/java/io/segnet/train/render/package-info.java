/**
 * Pictures of predictions: {@link io.segnet.train.render.Palette} (a colour per class, PASCAL VOC's colour map by
 * default), {@link io.segnet.train.render.MaskImages} (index PNGs holding class ids, colourised palette PNGs) and
 * {@link io.segnet.train.render.Overlay} (the image blended with the coloured mask, with a legend of class names).
 * Every file is written atomically and never replaces an existing file unless asked to.
 */
package io.segnet.train.render;
