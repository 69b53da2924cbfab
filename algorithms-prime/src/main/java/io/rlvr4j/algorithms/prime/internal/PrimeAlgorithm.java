package io.rlvr4j.algorithms.prime.internal;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.algorithms.kit.PolicyGradientSettings;

/**
 * PRIME (Cui et al. 2025, arXiv:2502.01456): an implicit process reward model, a language model
 * initialised from the SFT policy whose token rewards are {@code beta * log(pi_prm / pi_ref)}, trained
 * online on the verifier's outcome labels; the policy learns from leave-one-out baselines on both the
 * process and the outcome rewards; prompts are kept when their accuracy lies in a band, with over-sampling
 * (the RL stage's {@code refill_rounds}) so the batch stays full. Sky-T1-7B's second step. See
 * {@link PrimeRule} and docs/algorithms.md.
 *
 * <p>Settings: those of {@link PolicyGradientSettings}, plus {@code beta} (0.05), {@code process_coef} (5),
 * {@code outcome_coef} (5), {@code accuracy_low} (0.2), {@code accuracy_high} (0.8), {@code prm_update}
 * ({@code after}, {@code before} or {@code none}); the PRM's optimiser is the stage's {@code prm.optimizer}.
 * Needs at least 2 samples per prompt.
 */
public final class PrimeAlgorithm implements Algorithm {

    @Override
    public String name() {
        return "prime";
    }

    @Override
    public String description() {
        return "PRIME: implicit process rewards from an online-trained PRM plus outcome rewards, leave-one-out baselines, accuracy-band filtering";
    }

    @Override
    public UpdateRule create(Settings settings) {
        PolicyGradientSettings pg = PolicyGradientSettings.read(settings);
        double beta = settings.finiteNumber("beta", 0.05);
        if (!(beta > 0)) throw settings.invalid("beta", "must be > 0 (the scale of the implicit reward; PRIME uses 0.05)");
        double process = settings.finiteNumber("process_coef", 5.0);
        double outcome = settings.finiteNumber("outcome_coef", 5.0);
        if (!(process >= 0) || !(outcome >= 0) || process + outcome == 0) {
            throw settings.invalid("process_coef", "process_coef and outcome_coef must be >= 0 and not both 0");
        }
        double low = settings.finiteNumber("accuracy_low", 0.2);
        double high = settings.finiteNumber("accuracy_high", 0.8);
        if (!(low >= 0 && low <= high && high <= 1)) {
            throw settings.invalid("accuracy_low", "the band must satisfy 0 <= accuracy_low <= accuracy_high <= 1 (PRIME: 0.2 to 0.8)");
        }
        PrimeRule.PrmUpdate update = settings.choice("prm_update", PrimeRule.PrmUpdate.class, PrimeRule.PrmUpdate.AFTER);
        return new PrimeRule(pg, beta, process, outcome, low, high, update, PolicyGradientSettings.samplesKey(settings));
    }
}
