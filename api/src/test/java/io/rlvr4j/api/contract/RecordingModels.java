package io.rlvr4j.api.contract;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.objective.ImplicitPrmObjective;
import io.rlvr4j.api.objective.Objective;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import io.rlvr4j.api.objective.ValueObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The models of an update rule's tests: fixed log-probs per role ({@link #logProbOf}) and critic values
 * ({@link #VALUE}), and a record of every call and every objective trained; {@code train} returns
 * numbered statistics.
 */
public final class RecordingModels implements UpdateRule.Models {

    /** The value the critic gives every token. */
    public static final float VALUE = 0.5f;

    /** The log-prob the fake gives every token under {@code role}. */
    public static float logProbOf(ModelRole role) {
        return switch (role) {
            case ACTOR -> -0.5f;
            case IMPLICIT_PRM -> -0.25f;
            default -> -0.75f;
        };
    }

    /** The sampling temperature the fake reports: not 1, so tests see which calls pass it. */
    public static final double TEMPERATURE = 0.8;

    public record LogProbCall(ModelRole role, List<TokenSequence> sequences, double temperature) {}

    public final List<LogProbCall> logProbCalls = new ArrayList<>();
    /** The actor's objectives, in order. */
    public final List<PolicyGradientObjective> trained = new ArrayList<>();
    /** The critic's objectives, in order. */
    public final List<ValueObjective> trainedCritic = new ArrayList<>();
    /** The implicit PRM's objectives, in order. */
    public final List<ImplicitPrmObjective> trainedPrm = new ArrayList<>();
    /** Every call in order: "logProbs:ACTOR", "values", "train:ACTOR" … */
    public final List<String> calls = new ArrayList<>();

    @Override
    public double samplingTemperature() {
        return TEMPERATURE;
    }

    @Override
    public float[][] logProbs(ModelRole role, List<TokenSequence> sequences, double temperature) {
        logProbCalls.add(new LogProbCall(role, List.copyOf(sequences), temperature));
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
        calls.add("values");
        float[][] out = new float[sequences.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new float[sequences.get(i).responseLength()];
            java.util.Arrays.fill(out[i], VALUE);
        }
        return out;
    }

    @Override
    public Map<String, Double> train(ModelRole role, Objective objective) {
        calls.add("train:" + role);
        if (objective instanceof ImplicitPrmObjective p) {
            trainedPrm.add(p);
            return Map.of("loss", (double) trainedPrm.size(), "accuracy", 0.5);
        }
        if (objective instanceof ValueObjective v) {
            trainedCritic.add(v);
            double n = trainedCritic.size();
            return Map.of("loss", n, "grad_norm", 3 * n);
        }
        trained.add((PolicyGradientObjective) objective);
        double n = trained.size();
        return Map.of("pg_loss", n, "grad_norm", 2 * n);
    }
}
