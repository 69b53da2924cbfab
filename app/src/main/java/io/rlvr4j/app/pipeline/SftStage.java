package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.objective.LossAggregation;
import io.rlvr4j.api.objective.SupervisedObjective;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Supervised fine-tuning on worked solutions: each problem's {@code solution} (metadata) followed by
 * the end-of-sequence token is the target, its prompt the context.
 */
final class SftStage implements Stage {

    private final String name;
    private final String dataName;
    private final ProblemStream data;
    private final int steps;
    private final int batchSize;
    private final OptimizerSpec optimizer;
    private final LossAggregation aggregation;
    private final int checkpointEvery;
    private final int keepCheckpoints;

    SftStage(String name, Settings s, DataSets data) {
        this.name = name;
        this.dataName = s.requireString("data");
        this.data = data.cursor(s, "data");
        this.steps = StageSettings.positive(s, "steps", 100);
        this.batchSize = StageSettings.positive(s, "batch_size", 32);
        this.optimizer = Optimizers.read(s.section("optimizer"), 1e-3);
        this.aggregation = s.choice("loss_agg", LossAggregation.class, LossAggregation.TOKEN_MEAN);
        this.checkpointEvery = StageSettings.checkpointEvery(s);
        this.keepCheckpoints = StageSettings.keepCheckpoints(s);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "sft";
    }

    @Override
    public Map<ModelRole, OptimizerSpec> models() {
        Map<ModelRole, OptimizerSpec> out = new java.util.EnumMap<>(ModelRole.class);
        out.put(ModelRole.ACTOR, optimizer);
        return out;
    }

    @Override
    public Map<String, Object> run(RunContext ctx, Checkpoints.Saved resume) {
        long t0 = System.nanoTime();
        long first = resume == null ? 1 : resume.step() + 1;
        long dataStart = resume == null ? data.position() : StageSettings.dataStart(resume);
        try (Policy policy = ctx.open(ModelRole.ACTOR, optimizer, resume);
             Progress progress = new Progress(name, steps, ctx.out)) {
            Tokenizer tok = policy.tokenizer();
            int eos = tok.eosTokenId().orElseThrow(() -> new IllegalStateException(
                    "SFT needs an end-of-sequence token, and the model's tokenizer has none"));
            double lastLoss = Double.NaN;
            for (long step = first; step <= steps; step++) {
                long s0 = System.nanoTime();
                List<TokenSequence> batch = new ArrayList<>(batchSize);
                int longest = 1;
                for (Problem p : data.next(batchSize)) {
                    Object solution = p.metadata().get("solution");
                    if (!(solution instanceof String text)) {
                        throw new IllegalStateException("SFT stage '" + name + "' needs a worked solution for every problem, "
                                + "but problem " + p.id() + " of data set '" + dataName + "' has no 'solution' field");
                    }
                    int[] target = tok.encode(text);
                    int[] response = java.util.Arrays.copyOf(target, target.length + 1);
                    response[target.length] = eos;
                    batch.add(TokenSequence.of(ctx.prompts.encode(p, tok), response));
                    longest = Math.max(longest, response.length);
                }
                Map<String, Double> stats = new LinkedHashMap<>();
                ctx.faults.at(name, step).reached("rollout"); // the batch is read: as far into a step as SFT has phases
                policy.train(new SupervisedObjective(batch, aggregation, longest)).forEach((k, v) -> stats.put("sft/" + k, v));
                ctx.faults.at(name, step).reached("update");
                stats.put("timing_s/step", (System.nanoTime() - s0) / 1e9);
                ctx.metrics.write(name, step, stats);
                lastLoss = stats.getOrDefault("sft/loss", Double.NaN);
                progress.step(step, Map.of("loss", Progress.f(lastLoss, 4)));
                if (checkpointEvery > 0 && step % checkpointEvery == 0 && step < steps) {
                    StageSettings.checkpoint(ctx, Map.of(ModelRole.ACTOR, policy), name, step, Map.of("data_start", dataStart), keepCheckpoints, resume);
                }
            }
            ctx.currentModel = StageSettings.saveFinal(ctx, policy, name, steps, keepCheckpoints);
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("steps", steps);
            facts.put("data", StageSettings.dataFacts(dataName, dataStart, data));
            facts.put("final_loss", lastLoss);
            facts.put("wall_s", (System.nanoTime() - t0) / 1e9);
            return facts;
        }
    }
}
