/** A plugin's typed, validated slice of the run configuration. */
package io.rlvr4j.api.config;
