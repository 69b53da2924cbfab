/** The {@code prime} provider; not exported: the app reaches it through {@link io.rlvr4j.api.Algorithm}. */
package io.rlvr4j.algorithms.prime.internal;
