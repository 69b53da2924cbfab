/**
 * Contract tests of the SPIs, shipped in the {@code rlvr4j-api} test-jar: a plugin module extends
 * {@link io.rlvr4j.api.contract.VerifierContract} or {@link io.rlvr4j.api.contract.DataSourceContract},
 * supplies its provider and a few examples, and inherits the checks every provider must pass. An
 * algorithm module tests its update rule on {@link io.rlvr4j.api.contract.Rollouts} with
 * {@link io.rlvr4j.api.contract.RecordingModels}. Every plugin module checks its descriptor and
 * providers against the module rules with {@link io.rlvr4j.api.contract.PluginModuleContract}.
 */
package io.rlvr4j.api.contract;
