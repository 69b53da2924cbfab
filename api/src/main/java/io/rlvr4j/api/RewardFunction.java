package io.rlvr4j.api;

import io.rlvr4j.api.config.Settings;

/**
 * SPI: a verifiable reward (a math answer checker, a sandboxed code judge …). Selected in
 * configuration by {@code rewards: [{name: <name>, …}]}; several may serve one run, each for the
 * problem domains it {@linkplain Verifier#supports(String) supports}.
 */
public interface RewardFunction extends Plugin {

    /**
     * Creates a verifier with these settings (reward scheme, time limits …).
     *
     * @return a verifier; the caller closes it
     */
    Verifier create(Settings settings);
}
