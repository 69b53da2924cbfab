package io.rlvr4j.algorithms.rloo.internal;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.objective.Objective;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records what an update rule asks of its models; log-probs are fixed, train() returns numbered stats. */
final class FakeModels implements UpdateRule.Models {

    /** The log-prob the fake gives every token under {@code role}. */
    static float logProbOf(ModelRole role) {
        return role == ModelRole.ACTOR ? -0.5f : -0.75f;
    }

    record LogProbCall(ModelRole role, List<TokenSequence> sequences) {}

    final List<LogProbCall> logProbCalls = new ArrayList<>();
    final List<PolicyGradientObjective> trained = new ArrayList<>();
    /** Every call in order: "logProbs:ACTOR", "train:ACTOR" … */
    final List<String> calls = new ArrayList<>();

    @Override
    public float[][] logProbs(ModelRole role, List<TokenSequence> sequences) {
        logProbCalls.add(new LogProbCall(role, List.copyOf(sequences)));
        calls.add("logProbs:" + role);
        float[][] out = new float[sequences.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new float[sequences.get(i).responseLength()];
            java.util.Arrays.fill(out[i], logProbOf(role));
        }
        return out;
    }

    @Override
    public float[][] values(List<TokenSequence> sequences) {
        throw new UnsupportedOperationException("no critic in RLOO/GRPO");
    }

    @Override
    public Map<String, Double> train(ModelRole role, Objective objective) {
        calls.add("train:" + role);
        trained.add((PolicyGradientObjective) objective);
        double n = trained.size();
        return Map.of("pg_loss", n, "grad_norm", 2 * n);
    }
}
