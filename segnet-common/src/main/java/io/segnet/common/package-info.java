/**
 * What every segnet module shares and that depends on Jackson only: {@link io.segnet.common.io} (crash-safe file
 * writes) and {@link io.segnet.common.json} (the one Jackson configuration).
 */
package io.segnet.common;
