/**
 * The data-source providers and their helpers. Not exported: the app reaches them through
 * {@link java.util.ServiceLoader} and {@link io.rlvr4j.api.DataSource} alone.
 */
package io.rlvr4j.data.internal;
