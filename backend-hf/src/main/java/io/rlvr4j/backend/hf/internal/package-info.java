/** The {@code hf} model format's provider. */
package io.rlvr4j.backend.hf.internal;
