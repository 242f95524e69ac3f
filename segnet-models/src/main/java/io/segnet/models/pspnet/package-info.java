/**
 * PSPNet (Zhao, Shi, Qi, Wang and Jia 2017): a dilated ResNet, a pyramid pooling module that pools the deepest map to
 * 1x1, 2x2, 3x3 and 6x6 grids, projects and upsamples each and concatenates them with the map, and an auxiliary head
 * on the third stage whose loss counts 0.4.
 */
package io.segnet.models.pspnet;
