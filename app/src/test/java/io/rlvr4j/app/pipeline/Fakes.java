package io.rlvr4j.app.pipeline;

import io.rlvr4j.api.Algorithm;
import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.Generation;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.Plugin;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicyBackend;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.RewardFunction;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.RolloutGroup;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.UpdateRule;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.objective.Objective;
import io.rlvr4j.app.plugins.PluginRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Small, honest stand-ins for the plugins, so the app's loop is tested without a deep-learning
 * engine: a "policy" whose only parameter is the probability of answering correctly, trained up by
 * every objective it receives.
 */
final class Fakes {

    private Fakes() {}

    static PluginRegistry registry() {
        return PluginRegistry.of(spi -> switch (spi) {
            case POLICY_BACKEND -> List.of(new Backend());
            case ALGORITHM -> List.of(new Algo());
            case REWARD_FUNCTION -> List.of(new Reward(), new CodeReward());
            case DATA_SOURCE -> List.of(new Data());
            case MODEL_FORMAT -> List.of(new Format());
            case ROLLOUT_ENGINE -> List.<Plugin>of();
        });
    }

    /** Characters as tokens (code points); a chat template only when asked for (the fake runs prompt with the text as it is). */
    static final class CharTokens implements Tokenizer {
        private final boolean template;
        CharTokens() { this(false); }
        CharTokens(boolean template) { this.template = template; }
        @Override public int[] encode(String text) { return text.chars().toArray(); }
        @Override public String decode(int[] ids) {
            StringBuilder sb = new StringBuilder();
            for (int id : ids) if (id != 3) sb.append((char) id);
            return sb.toString();
        }
        @Override public int vocabularySize() { return 128; }
        @Override public OptionalInt eosTokenId() { return OptionalInt.of(3); }
        @Override public OptionalInt padTokenId() { return OptionalInt.of(0); }
        @Override public int[] encodeWithSpecialTokens(String text) { return encode(text); }
        @Override public java.util.Set<Integer> stopTokenIds() { return java.util.Set.of(3); }
        @Override public boolean hasChatTemplate() { return template; }
        /** A template that writes each turn as {@code [role]content} and the generation prompt as {@code [assistant]}. */
        @Override public String applyChatTemplate(List<io.rlvr4j.api.ChatMessage> messages, boolean gen, java.util.Map<String, ?> v) {
            StringBuilder sb = new StringBuilder();
            for (var m : messages) sb.append('[').append(m.role()).append(']').append(m.content());
            return gen ? sb.append("[assistant]").toString() : sb.toString();
        }
    }

    /**
     * The fake runs' model format: any directory passes its check; the sampling it recommends is
     * {@code sampling-defaults.json} of the model directory (a JSON object of numbers), if there is one.
     */
    static final class Format implements io.rlvr4j.api.ModelFormat {
        @Override public String name() { return "hf"; }
        @Override public Tokenizer openTokenizer(Path dir) { return new CharTokens(); }
        @Override public Map<String, Double> samplingDefaults(Path dir) {
            Path f = dir.resolve("sampling-defaults.json");
            if (!Files.isRegularFile(f)) return Map.of();
            try {
                Map<String, Double> out = new java.util.LinkedHashMap<>();
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile()).properties()
                        .forEach(e -> out.put(e.getKey(), e.getValue().asDouble()));
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final class Backend implements PolicyBackend {
        @Override public String name() { return "djl"; }
        @Override public Policy open(PolicySpec spec, Settings settings) {
            settings.integer("micro_batch_size", 8);
            double p = 0.2;
            Path f = spec.modelDir().resolve("p.txt");
            if (spec.init() == PolicySpec.Init.LOAD) {
                try {
                    p = Double.parseDouble(Files.readString(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new FakePolicy(p, spec.optimizer() != null);
        }
    }

    static final class FakePolicy implements Policy {
        double p;
        final boolean trainable;
        long steps;
        FakePolicy(double p, boolean trainable) { this.p = p; this.trainable = trainable; }
        @Override public Tokenizer tokenizer() { return new CharTokens(); }
        @Override public List<Generation> generate(List<int[]> prompts, SamplingParams params) {
            SplittableRandom rnd = new SplittableRandom(params.seed());
            List<Generation> out = new ArrayList<>();
            for (int[] prompt : prompts) {
                String q = new String(prompt, 0, prompt.length);
                int answer = q.length(); // the fake data's answer is the prompt's length
                boolean right = params.isGreedy() ? p >= 0.5 : rnd.nextDouble() < p;
                String text = "\\boxed{" + (right ? answer : answer + 1) + "}";
                int[] toks = (text + (char) 3).chars().toArray();
                Generation.FinishReason finish = Generation.FinishReason.STOP;
                if (toks.length > params.maxNewTokens()) { // cut at the budget, as a real sampler does
                    toks = java.util.Arrays.copyOf(toks, params.maxNewTokens());
                    text = text.substring(0, Math.min(text.length(), toks.length));
                    finish = Generation.FinishReason.LENGTH;
                }
                out.add(new Generation(prompt, toks, new float[toks.length], text, finish));
            }
            return out;
        }
        @Override public void loadWeights(Map<String, WeightTensor> weights) { p = weights.get("p").toArray()[0]; }
        @Override public String describe() { return "fake p=" + p; }
        @Override public float[][] logProbs(List<TokenSequence> seqs, double temperature) {
            return seqs.stream().map(s -> new float[s.responseLength()]).toArray(float[][]::new);
        }
        @Override public float[][] values(List<TokenSequence> seqs) { throw new UnsupportedOperationException("no critic"); }
        @Override public Map<String, Double> train(Objective objective) {
            if (!trainable) throw new IllegalStateException("frozen");
            p = Math.min(1, p + 0.05);
            steps++;
            return Map.of("loss", 1 - p, "grad_norm", 1.0);
        }
        @Override public long steps() { return steps; }
        @Override public Map<String, WeightTensor> exportWeights() { return Map.of("p", new WeightTensor(new long[] {1}, new float[] {(float) p})); }
        @Override public void save(Path dir) {
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("p.txt"), Double.toString(p));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        /** The optimiser's state: its step count. */
        @Override public void saveTrainingState(Path dir) {
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("steps.txt"), Long.toString(steps));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        @Override public void restoreTrainingState(Path dir) {
            try {
                steps = Long.parseLong(Files.readString(dir.resolve("steps.txt")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        @Override public void close() {}
    }

    /** Problems "x", "xx", … whose answer is their length; solution "\boxed{len}". */
    static final class Data implements DataSource {
        @Override public String name() { return "fake"; }
        @Override public ProblemStream open(Settings s) {
            int offset = s.integer("offset", 1);
            String domain = s.string("domain", "math");
            return new ProblemStream() {
                long pos;
                @Override public Problem next() {
                    int len = (int) (pos++ % 7) + offset;
                    String prompt = "x".repeat(len);
                    return new Problem((domain.equals("math") ? "p" : domain + "-") + pos, domain, prompt, List.of(), String.valueOf(len),
                            Map.of("solution", "\\boxed{" + len + "}"));
                }
                @Override public long position() { return pos; }
                @Override public void seek(long position) { pos = position; }
                @Override public OptionalLong size() { return OptionalLong.empty(); }
            };
        }
    }

    static final class Reward implements RewardFunction {
        @Override public String name() { return "math"; }
        @Override public Verifier create(Settings s) {
            double correct = s.number("correct_reward", 1);
            return new Verifier() {
                @Override public boolean supports(String domain) { return domain.equals("math"); }
                @Override public RewardResult score(Problem problem, String response) {
                    boolean ok = response.equals("\\boxed{" + problem.answer() + "}");
                    // the answer it read, as the math verifier reports it (maj@n votes on it)
                    Map<String, String> details = response.startsWith("\\boxed{") && response.endsWith("}")
                            ? Map.of("extracted", response.substring(7, response.length() - 1)) : Map.of();
                    return new RewardResult(ok ? correct : 0, ok ? 1 : 0, ok ? RewardResult.Outcome.CORRECT : RewardResult.Outcome.WRONG, details);
                }
            };
        }
    }

    /** Judges domain {@code code}: every response wrong, with a detail naming it. */
    static final class CodeReward implements RewardFunction {
        @Override public String name() { return "code"; }
        @Override public Verifier create(Settings s) {
            return new Verifier() {
                @Override public boolean supports(String domain) { return domain.equals("code"); }
                @Override public RewardResult score(Problem problem, String response) {
                    return new RewardResult(0, 0, RewardResult.Outcome.WRONG, Map.of("judge", "code"));
                }
            };
        }
    }

    static final class Algo implements Algorithm {
        @Override public String name() { return "rloo"; }
        @Override public UpdateRule create(Settings s) {
            s.number("clip_low", 0.2);
            String drop = s.string("drop_domain", "");
            int minSamples = s.integer("min_samples", 1);
            int miniBatches = s.integer("mini_batches", 1);
            return new UpdateRule() {
                @Override public Set<ModelRole> requiredRoles() { return Set.of(ModelRole.ACTOR); }
                @Override public int minSamplesPerPrompt() { return minSamples; }
                @Override public int minGroupsPerStep() { return miniBatches; }
                @Override public List<RolloutGroup> filter(List<RolloutGroup> groups) {
                    return groups.stream().filter(g -> !g.problem().domain().equals(drop)).toList();
                }
                @Override public Map<String, Double> update(List<RolloutGroup> groups, Models models) {
                    List<TokenSequence> seqs = groups.stream().flatMap(g -> g.generations().stream()).map(Generation::sequence).toList();
                    models.logProbs(ModelRole.ACTOR, seqs, models.samplingTemperature());
                    Map<String, Double> stats = models.train(ModelRole.ACTOR, io.rlvr4j.api.objective.SupervisedObjective.tokenMean(seqs));
                    double[] acc = groups.stream().mapToDouble(g -> java.util.Arrays.stream(g.scores()).average().orElse(0)).toArray();
                    // a policy whose entropy at temperature T is T / 2, for the temperature controller
                    return Map.of("actor/loss", stats.get("loss"), "actor/temperature", models.samplingTemperature(),
                            "actor/entropy_adjusted", models.samplingTemperature() / 2,
                            "fake/min_group_accuracy", java.util.Arrays.stream(acc).min().orElse(-1),
                            "fake/max_group_accuracy", java.util.Arrays.stream(acc).max().orElse(-1));
                }
            };
        }
    }
}
