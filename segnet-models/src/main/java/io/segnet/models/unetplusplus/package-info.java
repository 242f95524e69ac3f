/**
 * UNet++ (Zhou, Rahman Siddiquee, Tajbakhsh and Liang 2018): U-Net with nested, dense skip pathways, deep supervision
 * over the full-resolution nodes (their outputs averaged) and pruning to a shallower depth at inference.
 */
package io.segnet.models.unetplusplus;
