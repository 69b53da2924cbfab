/** The closed family of training objectives that every trainable backend implements. */
package io.rlvr4j.api.objective;
