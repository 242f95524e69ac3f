/**
 * Pictures of predictions: {@link io.segnet.inference.render.Palette} (a colour per class, PASCAL VOC's colour map by
 * default), {@link io.segnet.inference.render.MaskImages} (index PNGs holding class ids, colourised palette PNGs) and
 * {@link io.segnet.inference.render.Overlay} (the image blended with the coloured mask, with a legend of class names).
 * Every file is written atomically and never replaces an existing file unless asked to.
 */
package io.segnet.inference.render;
