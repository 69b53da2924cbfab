/**
 * Building blocks that update rules of several algorithm plugins share: the settings of a clipped
 * policy-gradient update and the split of a batch into mini-batches.
 */
package io.rlvr4j.algorithms.kit;
