package org.tl4j.select;

/** What to do with a pretrained network for a target task, from cheapest to most expensive. */
public enum Strategy {
    /** Logistic regression on the pooled codes of the top tap; the network stays frozen. */
    LINEAR_ON_CODES,
    /** Linear SVM on standardised codes from a tap before the top; the network stays frozen. */
    SVM_ON_EARLIER_TAP,
    /** Fine-tune the last layer groups (and a new head); earlier groups stay frozen. */
    FINE_TUNE_TOP,
    /** Fine-tune every layer from the pretrained weights, with discriminative (smaller early) learning rates. */
    FINE_TUNE_ALL,
    /** Train the same architecture from random initialisation: the source features do not help. */
    SCRATCH
}
