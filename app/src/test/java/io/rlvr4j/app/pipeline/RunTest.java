package io.rlvr4j.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.app.config.ConfigLoader;
import io.rlvr4j.app.config.ConfigTree;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private String config(String stagesAndMore) {
        return """
                run:
                  name: t
                  output_dir: %s
                  seed: 3
                model:
                  path: %s
                rewards:
                  - name: math
                data:
                  train: {source: fake}
                  heldout: {source: fake, offset: 2}
                """.formatted(tmp.resolve("runs"), tmp.resolve("model")) + stagesAndMore;
    }

    private ConfigTree parse(String yaml) throws Exception {
        Files.createDirectories(tmp.resolve("model"));
        Files.writeString(tmp.resolve("model/config.json"), "{}");
        Files.writeString(tmp.resolve("model/p.txt"), "0.2");
        Method m = ConfigLoader.class.getDeclaredMethod("parse", java.io.Reader.class, String.class, Path.class);
        m.setAccessible(true);
        return (ConfigTree) m.invoke(null, new StringReader(yaml), "run.yaml", tmp);
    }

    private Run.Result run(String yaml) throws Exception {
        return Run.execute(parse(yaml), Fakes.registry(), new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private static final String PIPELINE = """
            stages:
              - {type: sft, data: train, steps: 4, batch_size: 2}
              - {type: eval, name: before, data: heldout, problems: 10, n: 4, k: [1, 4]}
              - type: rl
                data: train
                steps: 6
                prompts_per_step: 2
                n: 4
                checkpoint_every: 2
                keep_checkpoints: 2
                algorithm: {name: rloo, clip_low: 0.1}
              - {type: eval, name: after, data: heldout, problems: 10, n: 4, k: [1, 4]}
              - {type: eval, name: sampled_only, data: heldout, problems: 4, n: 2, k: [1], greedy: false}
            """;

    @Test
    void runsTheStagesAndWritesTheRunDirectory() throws Exception {
        Run.Result r = run(config(PIPELINE));
        Path dir = r.runDir();
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertThat(metrics).hasSize(4 + 6);
        JsonNode first = new ObjectMapper().readTree(metrics.get(4));
        assertThat(first.get("stage").asText()).isEqualTo("rl");
        assertThat(first.has("reward/mean") && first.has("score/mean") && first.has("response_length/mean")
                && first.has("timing_s/rollout") && first.has("actor/loss")).isTrue();

        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("completed");
        assertThat(summary.get("rl_steps").asInt()).isEqualTo(6);
        assertThat(summary.get("evaluations").get("before").get("problems").asInt()).isEqualTo(10);
        assertThat(summary.get("evaluations").get("after").get("sampled").has("pass@4")).isTrue();
        // the fake policy improves with every step, so RL must show in the evaluations
        assertThat(r.evaluations().get("after").greedyPass1()).isEqualTo(1.0);
        assertThat(r.evaluations().get("before").greedyPass1()).isEqualTo(0.0);
        assertThat(summary.get("wall_time_s").asDouble()).isPositive();

        try (Stream<Path> s = Files.list(dir.resolve("checkpoints"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted())
                    .as("every 2 steps, the newest 2 kept, no temporary left").containsExactly("rl-step-000002", "rl-step-000004");
        }
        assertThat(dir.resolve("checkpoints/rl-step-000004/state.json")).exists();
        assertThat(dir.resolve("models/rl/p.txt")).exists();
        assertThat(dir.resolve("evaluations/after.json")).exists();
        List<String> greedy = Files.readAllLines(dir.resolve("evaluations/after.greedy.jsonl"));
        assertThat(greedy).hasSize(10);
        JsonNode response = new ObjectMapper().readTree(greedy.getFirst());
        assertThat(response.get("outcome").asText()).isEqualTo("correct");
        assertThat(response.get("response").asText()).isEqualTo("\\boxed{" + response.get("answer").asText() + "}");
        assertThat(response.get("finish").asText()).isEqualTo("stop");
        assertThat(response.get("decoding").asText()).isEqualTo("greedy");
        assertThat(response.get("expected").asText()).as("the answer as the data gave it, without a verifier's own").isEqualTo(response.get("answer").asText());
        List<String> sampled = Files.readAllLines(dir.resolve("evaluations/after.samples.jsonl"));
        assertThat(sampled).as("n = 4 per problem").hasSize(40);
        for (int i = 0; i < sampled.size(); i++) {
            JsonNode line = new ObjectMapper().readTree(sampled.get(i));
            assertThat(line.get("decoding").asText()).isEqualTo("sampled");
            assertThat(line.get("sample").asInt()).isEqualTo(i % 4);
            assertThat(line.get("correct").asBoolean()).isEqualTo(line.get("outcome").asText().equals("correct"));
        }
        JsonNode after = summary.get("evaluations").get("after").get("sampled");
        for (String k : List.of("avg@4", "maj@4", "pass@1", "pass@2", "pass@3", "pass@4")) assertThat(after.has(k)).as(k).isTrue();
        assertThat(after.get("avg@4").asDouble()).as("avg@n is pass@1's estimate").isCloseTo(after.get("pass@1").asDouble(), within(1e-12));
        assertThat(after.get("pass@2").asDouble()).isBetween(after.get("pass@1").asDouble(), after.get("pass@4").asDouble());
        assertThat(dir.resolve("evaluations/sampled_only.json")).exists();
        assertThat(dir.resolve("evaluations/sampled_only.greedy.jsonl")).as("no greedy pass, no greedy file").doesNotExist();
        assertThat(r.evaluations().get("sampled_only").greedyPass1()).isNaN();
        assertThat(dir.resolve("config.yaml")).exists();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("greedy pass@1").contains(dir.toString());
    }

    @Test
    void aMixedDataSetIsScoredByTheRewardFunctionOfEachProblemsDomain() throws Exception {
        String yaml = config("""
                stages:
                  - {type: rl, data: both, steps: 2, prompts_per_step: 4, n: 2, algorithm: {name: rloo}}
                  - {type: eval, name: mixed, data: both, problems: 40, n: 1, k: [1]}
                """).replace("rewards:\n  - name: math\n", "rewards:\n  - name: math\n  - name: code\n")
                .replace("data:\n", "data:\n  code: {source: fake, domain: code}\n  both: {mix: {train: 1, code: 3}, seed: 4}\n");
        Run.Result r = run(yaml);
        List<JsonNode> lines = Files.readAllLines(r.runDir().resolve("evaluations/mixed.greedy.jsonl")).stream()
                .map(l -> { try { return new ObjectMapper().readTree(l); } catch (Exception e) { throw new AssertionError(e); } }).toList();
        long code = lines.stream().filter(l -> l.get("domain").asText().equals("code")).count();
        assertThat(code).as("about three in four from the code data set").isBetween(22L, 38L);
        for (JsonNode l : lines) {
            boolean judgedAsCode = l.get("details").has("judge");
            assertThat(judgedAsCode).as(l.toString()).isEqualTo(l.get("domain").asText().equals("code"));
        }
        // each step reports each domain's samples, reward and accuracy (the fake code reward pays nothing)
        for (String line : Files.readAllLines(r.runDir().resolve("metrics.jsonl"))) {
            JsonNode step = new ObjectMapper().readTree(line);
            double math = step.path("domain/math/samples").asDouble(0);
            double codeSamples = step.path("domain/code/samples").asDouble(0);
            assertThat(math + codeSamples).as(line).isEqualTo(8.0);
            if (codeSamples > 0) assertThat(step.get("domain/code/reward_mean").asDouble()).isZero();
        }
        // the same mixture, twice, is the same sequence
        List<String> ids = lines.stream().map(l -> l.get("id").asText()).toList();
        Run.Result again = run(yaml);
        assertThat(Files.readAllLines(again.runDir().resolve("evaluations/mixed.greedy.jsonl")).stream()
                .map(l -> { try { return new ObjectMapper().readTree(l).get("id").asText(); } catch (Exception e) { throw new AssertionError(e); } })
                .toList()).isEqualTo(ids);
    }

    @Test
    void refillRoundsSampleMorePromptsUntilTheFilterLeavesAFullBatch() throws Exception {
        // the fake algorithm's filter drops every code group; three in four prompts are code
        String yaml = config("""
                stages:
                  - {type: rl, data: both, steps: 6, prompts_per_step: 4, n: 2, refill_rounds: 20, algorithm: {name: rloo, drop_domain: code}}
                """).replace("rewards:\n  - name: math\n", "rewards:\n  - name: math\n  - name: code\n")
                .replace("data:\n", "data:\n  code: {source: fake, domain: code}\n  both: {mix: {train: 1, code: 3}, seed: 4}\n");
        Run.Result r = run(yaml);
        int refilled = 0;
        for (String line : Files.readAllLines(r.runDir().resolve("metrics.jsonl"))) {
            JsonNode step = new ObjectMapper().readTree(line);
            double rounds = step.get("groups/sampling_rounds").asDouble();
            assertThat(step.get("groups/kept").asDouble()).as(line).isEqualTo(4.0);
            assertThat(step.path("domain/math/samples").asDouble(0) + step.path("domain/code/samples").asDouble(0)).isEqualTo(rounds * 8);
            assertThat(step.get("groups/filtered").asDouble()).isEqualTo(step.path("domain/code/samples").asDouble(0) / 2);
            if (rounds > 1) refilled++;
        }
        assertThat(refilled).as("most steps need more than one round").isGreaterThan(3);
        // without refilling, a step trains on what the filter kept
        String once = yaml.replace("refill_rounds: 20", "refill_rounds: 0");
        for (String line : Files.readAllLines(run(once).runDir().resolve("metrics.jsonl"))) {
            JsonNode step = new ObjectMapper().readTree(line);
            assertThat(step.get("groups/sampling_rounds").asDouble()).isEqualTo(1.0);
            assertThat(step.get("groups/kept").asDouble() + step.get("groups/filtered").asDouble()).isEqualTo(4.0);
        }
    }

    @Test
    void theAccuracyBandKeepsOnlyGroupsWithinItForAnyAlgorithm() throws Exception {
        String yaml = config("stages:\n  - {type: rl, data: train, steps: 8, prompts_per_step: 4, n: 4, accuracy_band: [0.25, 0.75], "
                + "refill_rounds: 30, algorithm: {name: rloo}}\n");
        int outOfBand = 0;
        for (String line : Files.readAllLines(run(yaml).runDir().resolve("metrics.jsonl"))) {
            JsonNode step = new ObjectMapper().readTree(line);
            assertThat(step.get("groups/kept").asDouble()).as(line).isEqualTo(4.0);
            assertThat(step.get("fake/min_group_accuracy").asDouble()).as(line).isGreaterThanOrEqualTo(0.25);
            assertThat(step.get("fake/max_group_accuracy").asDouble()).as(line).isLessThanOrEqualTo(0.75);
            outOfBand += step.get("groups/out_of_band").asInt();
        }
        assertThat(outOfBand).as("the fake policy (p = 0.2, rising) gives many all-wrong groups").isGreaterThan(5);
        assertThatThrownBy(() -> run(config("stages:\n  - {type: rl, data: train, accuracy_band: [0.8, 0.2], algorithm: {name: rloo}}\n")))
                .hasMessageContaining("accuracy_band").hasMessageContaining("0 <= low <= high <= 1");
    }

    @Test
    void theLengthCurriculumSetsEachStepsBudget() throws Exception {
        // the fake responses are 11 tokens: cut below that, whole from step 5 on
        Run.Result r = run(config("stages:\n  - type: rl\n    data: train\n    steps: 6\n    prompts_per_step: 2\n    n: 2\n"
                + "    algorithm: {name: rloo}\n"
                + "    length_curriculum: [{from_step: 1, max_new_tokens: 4}, {from_step: 3, max_new_tokens: 8}, {from_step: 5, max_new_tokens: 64}]\n"));
        List<String> lines = Files.readAllLines(r.runDir().resolve("metrics.jsonl"));
        double[] limits = {4, 4, 8, 8, 64, 64};
        for (int i = 0; i < 6; i++) {
            JsonNode step = new ObjectMapper().readTree(lines.get(i));
            assertThat(step.get("response_length/limit").asDouble()).isEqualTo(limits[i]);
            assertThat(step.get("response_length/max").asDouble()).isLessThanOrEqualTo(limits[i]);
            assertThat(step.get("response_length/clip_ratio").asDouble()).isEqualTo(i < 4 ? 1.0 : 0.0);
        }
        assertThatThrownBy(() -> run(config("stages:\n  - {type: rl, data: train, algorithm: {name: rloo}, "
                + "length_curriculum: [{from_step: 2, max_new_tokens: 8}]}\n"))).hasMessageContaining("the first phase must start at step 1");
    }

    @Test
    void theTemperatureControllerHoldsTheEntropyAtItsTarget() throws Exception {
        // the fake policy's entropy at temperature T is T / 2: the target 0.3 is held at T = 0.6
        Run.Result r = run(config("stages:\n  - {type: rl, data: train, steps: 30, prompts_per_step: 2, n: 2, sampling: {temperature: 1.0}, "
                + "algorithm: {name: rloo}, temperature_control: {target_entropy: 0.3, every: 1, gain: 0.5, max_change: 0.05}}\n"));
        List<JsonNode> steps = new ArrayList<>();
        for (String line : Files.readAllLines(r.runDir().resolve("metrics.jsonl"))) steps.add(new ObjectMapper().readTree(line));
        assertThat(steps.getFirst().get("temperature/value").asDouble()).isEqualTo(1.0);
        assertThat(steps.get(1).get("temperature/value").asDouble()).isCloseTo(0.95, within(1e-12)); // one bounded step down
        for (JsonNode step : steps) {
            assertThat(step.get("actor/temperature").asDouble()).isEqualTo(step.get("temperature/value").asDouble());
            assertThat(step.get("temperature/target_entropy").asDouble()).isEqualTo(0.3);
        }
        for (JsonNode step : steps.subList(20, 30)) {
            assertThat(step.get("temperature/entropy").asDouble()).as("held within 0.01 of the target").isCloseTo(0.3, within(0.01));
        }
    }

    @Test
    void distillKeepsAcceptedResponsesAsAnSftSetThatALaterStageTrainsOn() throws Exception {
        Run.Result r = run(config("""
                stages:
                  - {type: distill, data: train, problems: 30, n: 4, keep: 2, batch_size: 8}
                  - {type: sft, data: distill, steps: 3, batch_size: 4}
                """));
        JsonNode facts = new ObjectMapper().readTree(r.runDir().resolve("summary.json").toFile()).get("stages").get(0);
        JsonNode math = facts.get("by_domain").get("math");
        assertThat(math.get("prompts").asInt()).isEqualTo(30);
        assertThat(math.get("samples").asInt()).isEqualTo(120);
        assertThat(math.get("acceptance").asDouble()).isEqualTo(math.get("accepted").asInt() / 120.0).isBetween(0.05, 0.5); // the fake policy: p = 0.2
        List<String> rows = Files.readAllLines(r.runDir().resolve("datasets/distill.jsonl"));
        assertThat(rows).hasSize(facts.get("kept").asInt()).hasSize(math.get("kept").asInt());
        assertThat(facts.get("kept").asInt()).isBetween(math.get("prompts_with_accepted").asInt(), Math.min(2 * math.get("prompts_with_accepted").asInt(),
                math.get("accepted").asInt()));
        for (String row : rows) {
            JsonNode p = new ObjectMapper().readTree(row);
            assertThat(p.get("metadata").get("solution").asText()).isEqualTo("\\boxed{" + p.get("answer").asText() + "}");
            assertThat(p.get("id").asText()).startsWith(p.get("metadata").get("distilled_from").asText() + "#");
        }
        assertThat(facts.get("data").get("to").asInt()).isEqualTo(30);
        JsonNode sft = new ObjectMapper().readTree(r.runDir().resolve("summary.json").toFile()).get("stages").get(1);
        assertThat(sft.get("data").get("name").asText()).isEqualTo("distill");
        assertThat(sft.get("data").get("to").asInt()).isEqualTo(12);
        assertThat(sft.get("data").get("epoch").asInt()).isEqualTo(12 / rows.size());
        // a stage can only read what a stage before it made
        assertThatThrownBy(() -> run(config("stages:\n  - {type: sft, data: later, steps: 3}\n  - {type: distill, data: train, output: later}\n")))
                .hasMessageContaining("stages[0].data = \"later\" — data set later is made by stage 2 (distill), which does not run before this one");
    }

    @Test
    void distillSamplesANamedTeacherModelWhenGivenOne() throws Exception {
        Path teacher = tmp.resolve("teacher");
        Files.createDirectories(teacher);
        Files.writeString(teacher.resolve("config.json"), "{}");
        Files.writeString(teacher.resolve("p.txt"), "1.0"); // the fake policy that is always right
        Run.Result r = run(config("stages:\n  - {type: distill, data: train, problems: 10, n: 2, keep: 2, model: " + teacher + "}\n"));
        JsonNode facts = new ObjectMapper().readTree(r.runDir().resolve("summary.json").toFile()).get("stages").get(0);
        assertThat(facts.get("by_domain").get("math").get("acceptance").asDouble()).isEqualTo(1.0);
        assertThat(facts.get("kept").asInt()).isEqualTo(20);
        assertThatThrownBy(() -> run(config("stages:\n  - {type: distill, data: train, model: " + tmp.resolve("nowhere") + "}\n")))
                .hasMessageContaining("no Hugging Face model directory (config.json)");
    }

    @Test
    void aPassRateFilterKeepsThePromptsInItsBandForTheStageAfterIt() throws Exception {
        Run.Result r = run(config("""
                stages:
                  - {type: filter, name: hard, data: train, problems: 40, n: 4, pass_rate: [0.25, 0.75]}
                  - {type: rl, data: hard, steps: 2, prompts_per_step: 2, n: 2, algorithm: {name: rloo}}
                """));
        JsonNode facts = new ObjectMapper().readTree(r.runDir().resolve("summary.json").toFile()).get("stages").get(0);
        JsonNode histogram = facts.get("prompts_by_accepted");
        int inBand = histogram.path("1/4").asInt(0) + histogram.path("2/4").asInt(0) + histogram.path("3/4").asInt(0);
        assertThat(facts.get("kept").asInt()).isEqualTo(inBand).isPositive().isLessThan(40);
        for (String row : Files.readAllLines(r.runDir().resolve("datasets/hard.jsonl"))) {
            assertThat(new ObjectMapper().readTree(row).get("metadata").get("pass_rate").asDouble()).isBetween(0.25, 0.75);
        }
        assertThat(new ObjectMapper().readTree(r.runDir().resolve("summary.json").toFile()).get("stages").get(1).get("data").get("name").asText())
                .isEqualTo("hard");
    }

    @Test
    void theAlgorithmSeesTheSamplingTemperature() throws Exception {
        Run.Result r = run(config("stages:\n  - {type: rl, data: train, steps: 2, prompts_per_step: 2, n: 2, "
                + "sampling: {temperature: 0.6}, algorithm: {name: rloo}}\n"));
        List<String> lines = Files.readAllLines(r.runDir().resolve("metrics.jsonl"));
        assertThat(lines).hasSize(2);
        for (String line : lines) assertThat(new ObjectMapper().readTree(line).get("actor/temperature").asDouble()).isEqualTo(0.6);
    }

    @Test
    void theModelsRecommendedSamplingIsUsedWhereTheRunSetsNone() throws Exception {
        Files.createDirectories(tmp.resolve("model"));
        Files.writeString(tmp.resolve("model/sampling-defaults.json"), "{\"temperature\": 0.7, \"top_p\": 0.8}");
        Run.Result r = run(config("stages:\n  - {type: rl, data: train, steps: 1, prompts_per_step: 2, n: 2, algorithm: {name: rloo}}\n"));
        assertThat(new ObjectMapper().readTree(Files.readAllLines(r.runDir().resolve("metrics.jsonl")).getFirst()).get("actor/temperature").asDouble())
                .isEqualTo(0.7);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("sampling temperature 0.7, top_p 0.8 from the model's generation_config.json");
        Run.Result set = run(config("stages:\n  - {type: rl, data: train, steps: 1, prompts_per_step: 2, n: 2, sampling: {temperature: 0.9},"
                + " algorithm: {name: rloo}}\n"));
        assertThat(new ObjectMapper().readTree(Files.readAllLines(set.runDir().resolve("metrics.jsonl")).getFirst()).get("actor/temperature").asDouble())
                .isEqualTo(0.9);
    }

    @Test
    void aMixtureNamesOnlyDataSetsWithASource() throws Exception {
        String yaml = config("stages:\n  - {type: eval, data: both, problems: 4, n: 1, k: [1]}\n")
                .replace("data:\n", "data:\n  both: {mix: {train: 1, nowhere: 1}}\n");
        assertThatThrownBy(() -> run(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining("nowhere")
                .hasMessageContaining("train, heldout");
    }

    @Test
    void truncatedRewardReplacesTheVerifiersRewardOfResponsesCutAtTheBudget() throws Exception {
        // every fake response is 10+ tokens with its stop token: a budget of 9 cuts them all, after the
        // answer, so the verifier still finds correct ones
        Run.Result r = run(config("""
                stages:
                  - type: rl
                    data: train
                    steps: 3
                    prompts_per_step: 2
                    n: 4
                    sampling: {max_new_tokens: 9}
                    truncated_reward: -0.5
                    algorithm: {name: rloo}
                """));
        List<JsonNode> steps = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(r.runDir().resolve("metrics.jsonl"))) steps.add(new ObjectMapper().readTree(line));
        assertThat(steps).hasSize(3).allSatisfy(m -> {
            assertThat(m.get("response_length/clip_ratio").asDouble()).isEqualTo(1.0);
            assertThat(m.get("reward/mean").asDouble()).isEqualTo(-0.5);
        });
        assertThat(steps.stream().mapToDouble(m -> m.get("score/mean").asDouble()).max().orElseThrow())
                .as("the verifier's score is kept").isPositive();
    }

    @Test
    void theOverlongPenaltyGrowsOverTheLastTokensOfTheBudget() throws Exception {
        // every fake response is 10 tokens (\boxed{d} and its stop token); budget 12, buffer 4: the penalty starts
        // after 8 tokens, so 2 tokens into the buffer cost 2/4 * 1.0 = 0.5 on every response
        Run.Result r = run(config("""
                stages:
                  - type: rl
                    data: train
                    steps: 3
                    prompts_per_step: 2
                    n: 4
                    sampling: {max_new_tokens: 12}
                    overlong_buffer: 4
                    algorithm: {name: rloo}
                """));
        for (String line : Files.readAllLines(r.runDir().resolve("metrics.jsonl"))) {
            JsonNode m = new ObjectMapper().readTree(line);
            assertThat(m.get("response_length/mean").asDouble()).isEqualTo(10.0);
            assertThat(m.get("reward/mean").asDouble()).as(line).isCloseTo(m.get("score/mean").asDouble() - 0.5, within(1e-9));
        }
        assertThatThrownBy(() -> run(config("stages:\n  - {type: rl, data: train, sampling: {max_new_tokens: 12}, overlong_buffer: 12, algorithm: {name: rloo}}\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("overlong_buffer");
    }

    @Test
    void unknownPluginNameListsTheInstalledOnes() {
        assertThatThrownBy(() -> run(config("""
                stages:
                  - type: rl
                    data: train
                    algorithm: {name: rlo}
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("run.yaml:15: stages[0].algorithm.name = \"rlo\" — unknown algorithm 'rlo'. Installed: rloo.");
    }

    @Test
    void unknownKeyOfAPluginIsNamedWithTheValidOnes() {
        assertThatThrownBy(() -> run(config("""
                stages:
                  - type: rl
                    data: train
                    algorithm:
                      name: rloo
                      clip_lo: 0.1
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("run.yaml:17: unknown key stages[0].algorithm.clip_lo. Valid keys here: clip_low, drop_domain, min_samples, mini_batches, name.");
        assertThat(tmp.resolve("runs")).as("no run directory for an invalid configuration").doesNotExist();
    }

    @Test
    void unknownKeysOfTheBackendAreCaughtBeforeTraining() {
        assertThatThrownBy(() -> run(config("""
                policy:
                  backend: djl
                  micro_batch: 4
                stages:
                  - {type: sft, data: train, steps: 2}
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("run.yaml:14: unknown key policy.micro_batch. Valid keys here: backend, micro_batch_size.");
    }

    @Test
    void wrongTypesAndBadValuesNameTheKey() {
        assertThatThrownBy(() -> run(config("stages:\n  - {type: sft, data: train, steps: lots}\n")))
                .hasMessage("run.yaml:13: stages[0].steps = \"lots\" — expected an integer");
        assertThatThrownBy(() -> run(config("stages:\n  - {type: sft, data: nowhere}\n")))
                .hasMessageContaining("stages[0].data = \"nowhere\" — no data set of that name under data:. Defined: train, heldout");
        assertThatThrownBy(() -> run(config("stages:\n  - {type: dance}\n")))
                .hasMessageContaining("stages[0].type = \"dance\" — expected one of: sft, rl, eval");
        assertThatThrownBy(() -> run(config("stages:\n  - {type: eval, data: heldout, n: 4, k: [8]}\n")))
                .hasMessageContaining("each k must be in [1, n] with n = 4");
        assertThatThrownBy(() -> run(config("stagez: []\n")))
                .hasMessageContaining("run.yaml:12: unknown section stagez");
        assertThatThrownBy(() -> run(config("stages:\n  - type: rl\n    data: train\n    algorithm: {name: rloo}\n    optimizer: {lr: -1}\n")))
                .hasMessageContaining("stages[0].optimizer.lr = -1 — lr must be > 0");
        // an algorithm's need for several samples per prompt is checked before the first stage (here a long SFT) runs
        assertThatThrownBy(() -> run(config("stages:\n  - {type: sft, data: train, steps: 100000}\n"
                + "  - {type: rl, data: train, n: 1, algorithm: {name: rloo, min_samples: 2}}\n")))
                .hasMessageContaining("stages[1].n = 1 — algorithm rloo needs at least 2 samples per prompt")
                .hasMessageContaining("set n >= 2");
        // so is its need for one prompt group per mini-batch
        assertThatThrownBy(() -> run(config("stages:\n  - {type: sft, data: train, steps: 100000}\n"
                + "  - {type: rl, data: train, prompts_per_step: 2, algorithm: {name: rloo, mini_batches: 4}}\n")))
                .hasMessageContaining("stages[1].prompts_per_step = 2 — algorithm rloo splits a step's prompt groups into 4 mini-batches")
                .hasMessageContaining("set prompts_per_step >= 4 or lower mini_batches");
        assertThat(tmp.resolve("runs")).doesNotExist();
    }
}
