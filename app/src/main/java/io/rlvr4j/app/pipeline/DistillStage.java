package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.config.Settings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Rejection sampling ({@code type: distill}; Sky-T1-7B's step 3, AceReason-Nemotron's SFT data): of
 * the {@code n} responses to each prompt, keeps those the reward functions accept (verdict correct),
 * up to {@code keep} (1) per prompt, chosen by {@code select}: {@code shortest} (fewest tokens first,
 * the default), {@code random} (seeded) or {@code first}. Each kept response becomes an SFT example:
 * the prompt's problem with the response as its {@code solution} (and {@code distilled_from}, the
 * prompt's id), so a later {@code sft} stage with {@code data: <output>} trains on it. The stage's
 * facts give, per domain, the prompts, samples, accepted samples, acceptance, prompts with an accepted
 * response and examples kept. See {@link SamplingStage} for the sampling settings.
 */
final class DistillStage extends SamplingStage {

    private enum Select { SHORTEST, RANDOM, FIRST }

    private final int keep;
    private final Select select;
    private final long seed;

    DistillStage(String name, Settings s, DataSets data, long runSeed) {
        super(name, s, data, 8);
        this.keep = StageSettings.positive(s, "keep", 1);
        this.select = s.choice("select", Select.class, Select.SHORTEST);
        this.seed = runSeed ^ name.hashCode();
    }

    @Override
    public String type() {
        return "distill";
    }

    @Override
    Made make(List<Scored> scored) {
        List<Problem> out = new ArrayList<>();
        Map<String, Map<String, Object>> domains = byDomain(scored);
        for (Scored s : scored) {
            List<Integer> accepted = new ArrayList<>();
            for (int i = 0; i < s.results().size(); i++) if (s.results().get(i).correct()) accepted.add(i);
            switch (select) {
                case SHORTEST -> accepted.sort(Comparator.comparingInt(i -> s.responses().get(i).tokens().length));
                case RANDOM -> java.util.Collections.shuffle(accepted, new java.util.Random(new SplittableRandom(seed ^ s.problem().id().hashCode()).nextLong()));
                case FIRST -> { }
            }
            List<Integer> chosen = accepted.subList(0, Math.min(keep, accepted.size()));
            for (int k = 0; k < chosen.size(); k++) {
                Generation g = s.responses().get(chosen.get(k));
                Problem p = s.problem();
                Map<String, Object> metadata = new LinkedHashMap<>(p.metadata());
                metadata.put("solution", g.text());
                metadata.put("distilled_from", p.id());
                out.add(new Problem(p.id() + "#" + k, p.domain(), p.prompt(), p.messages(), p.answer(), metadata));
            }
            domains.get(s.problem().domain()).merge("kept", chosen.size(), (a, b) -> (Integer) a + (Integer) b);
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("prompts", scored.size());
        facts.put("samples_per_prompt", n);
        facts.put("kept", out.size());
        facts.put("by_domain", domains);
        return new Made(out, facts);
    }
}
