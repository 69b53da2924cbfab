package io.rlvr4j.api;

/** The models an algorithm may ask for. */
public enum ModelRole {
    /** the policy being trained */
    ACTOR,
    /** a frozen copy of the initial policy, for a KL penalty */
    REFERENCE,
    /** a value model (PPO), trained with {@link io.rlvr4j.api.objective.ValueObjective} */
    CRITIC,
    /** an implicit process reward model (PRIME), trained with {@link io.rlvr4j.api.objective.ImplicitPrmObjective} */
    IMPLICIT_PRM;

    /** {@return the name used in configuration and metrics, e.g. {@code implicit_prm}} */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
