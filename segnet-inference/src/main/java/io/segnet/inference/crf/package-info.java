/**
 * Fully connected CRF post-processing (DenseCRF, Kr&auml;henb&uuml;hl and Koltun 2011): mean-field inference over
 * a model's class probabilities with Gaussian edge potentials, filtered through a permutohedral lattice (Adams, Baek
 * and Davis 2010). {@link io.segnet.inference.crf.DenseCrf} is the entry point, configured by
 * {@link io.segnet.inference.crf.DenseCrfConfig}.
 */
package io.segnet.inference.crf;
