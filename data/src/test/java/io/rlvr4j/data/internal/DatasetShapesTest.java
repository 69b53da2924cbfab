package io.rlvr4j.data.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.DataException;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rows of the field's data sets, each recognised by its fields, read without configuration. */
class DatasetShapesTest {

    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return p;
    }

    private ProblemStream open(String file, Map<String, Object> more) {
        Map<String, Object> values = new HashMap<>(more);
        values.put("path", file);
        values.put("shuffle", false);
        return new JsonlDataSource().open(new Settings("data.eval", values, dir, key -> "run.yaml:7"));
    }

    private List<Problem> all(String file) {
        return all(file, Map.of());
    }

    private List<Problem> all(String file, Map<String, Object> settings) {
        try (ProblemStream s = open(file, settings)) {
            return s.next((int) s.size().orElseThrow());
        }
    }

    @Test
    void verlRows() throws IOException {
        write("verl.jsonl", """
                {"data_source": "openai/gsm8k", "prompt": [{"role": "user", "content": "1+1? Let's think step by step."}], \
                "ability": "math", "reward_model": {"style": "rule", "ground_truth": "2"}, "extra_info": {"split": "test", "index": 0}}""");
        Problem p = all("verl.jsonl").getFirst();
        assertThat(p.messages()).containsExactly(new ChatMessage("user", "1+1? Let's think step by step."));
        assertThat(p.answer()).isEqualTo("2");
        assertThat(p.domain()).isEqualTo("math");
        assertThat(p.metadata()).containsEntry("data_source", "openai/gsm8k").containsEntry("reward_style", "rule")
                .containsEntry("extra_info", Map.of("split", "test", "index", 0));
    }

    @Test
    void verlCodeRowsCarryTheirTests() throws IOException {
        write("code.jsonl", """
                {"data_source": "codecontests", "prompt": [{"role": "user", "content": "Echo."}], "ability": "code", \
                "reward_model": {"style": "rule", "ground_truth": "{\\"inputs\\": [\\"1\\\\n\\"], \\"outputs\\": [\\"1\\\\n\\"]}"}}""");
        Problem p = all("code.jsonl").getFirst();
        assertThat(p.domain()).isEqualTo("code");
        assertThat(p.metadata()).containsEntry("inputs", List.of("1\n")).containsEntry("outputs", List.of("1\n"));
    }

    @Test
    void mathAndMath500() throws IOException {
        write("math500.jsonl",
                "{\"problem\": \"What is $1+1$?\", \"solution\": \"So $\\\\boxed{2}$.\", \"answer\": \"2\", \"subject\": \"Algebra\", \"level\": 1, \"unique_id\": \"test/algebra/1.json\"}",
                "{\"problem\": \"Half of 1?\", \"solution\": \"It is $\\\\boxed{\\\\frac12}$.\"}");
        List<Problem> ps = all("math500.jsonl", Map.of("preset", "math500"));
        assertThat(ps.get(0).prompt()).isEqualTo("What is $1+1$?");
        assertThat(ps.get(0).answer()).isEqualTo("2");
        assertThat(ps.get(0).metadata()).containsEntry("solution", "So $\\boxed{2}$.");
        // no answer column: the worked solution is the reference, whose last box the math verifier reads
        assertThat(ps.get(1).answer()).isEqualTo("It is $\\boxed{\\frac12}$.");
    }

    @Test
    void gsm8kGoldAfterTheHashesWithoutCommas() throws IOException {
        write("gsm8k.jsonl", "{\"question\": \"Natalia sold clips…\", \"answer\": \"She sold 48/2 = <<48/2=24>>24 clips.\\n#### 1,072\"}");
        Problem p = all("gsm8k.jsonl").getFirst();
        assertThat(p.prompt()).isEqualTo("Natalia sold clips…");
        assertThat(p.answer()).isEqualTo("1072");
        assertThat(p.metadata()).containsEntry("solution", "She sold 48/2 = 24 clips.\n#### 1,072");
    }

    @Test
    void aimeLeadingZerosAndAmcFloats() throws IOException {
        write("aime.jsonl", "{\"id\": 60, \"problem\": \"Find N.\", \"answer\": \"025\", \"url\": \"u\"}");
        write("amc.jsonl", "{\"id\": 0, \"problem\": \"Find x.\", \"answer\": 27.0}");
        assertThat(all("aime.jsonl").getFirst().answer()).isEqualTo("025");
        assertThat(all("aime.jsonl").getFirst().id()).isEqualTo("60");
        assertThat(all("amc.jsonl").getFirst().answer()).isEqualTo("27.0");
    }

    @Test
    void minervaGoldInTheSolution() throws IOException {
        write("minerva.jsonl", "{\"problem\": \"Compute.\", \"solution\": \"Thus the answer is $\\\\boxed{3.5}$.\", \"type\": \"Physics\"}");
        Problem p = all("minerva.jsonl").getFirst();
        assertThat(p.answer()).contains("\\boxed{3.5}");
    }

    @Test
    void olympiadBenchListsAndRowsWithoutAnAnswer() throws IOException {
        write("ob.jsonl",
                "{\"id\": 1, \"question\": \"Find a and b.\", \"final_answer\": [\"$1$\", \"$2$\"], \"is_multiple_answer\": true, \"unit\": null}",
                "{\"id\": 2, \"question\": \"Find c.\", \"final_answer\": [\"$\\\\frac{1}{2}$\"], \"is_multiple_answer\": false}",
                "{\"id\": 3, \"question\": \"Prove it.\", \"final_answer\": null}");
        try (ProblemStream s = open("ob.jsonl", Map.of())) {
            List<Problem> ps = s.next(2);
            assertThat(ps.get(0).answer()).isEqualTo("$1$, $2$");
            assertThat(ps.get(0).metadata()).containsEntry("is_multiple_answer", true);
            assertThat(ps.get(1).answer()).isEqualTo("$\\frac{1}{2}$");
            assertThat(s.size()).hasValue(2);
            assertThat(s.notes()).singleElement().asString().contains("ob.jsonl", "1 row skipped", "no answer (first: row 3)");
        }
    }

    @Test
    void deepScaleRAndNuminaRows() throws IOException {
        write("numina.jsonl", "{\"problem\": \"Solve.\", \"solution\": \"…\", \"answer\": \"\\\\frac{3}{4}\", \"source\": \"olympiads\"}");
        assertThat(all("numina.jsonl").getFirst().answer()).isEqualTo("\\frac{3}{4}");
    }

    @Test
    void appsAndTacoStdinTests() throws IOException {
        write("apps.jsonl",
                "{\"problem_id\": 1, \"question\": \"Add two numbers.\", \"input_output\": \"{\\\"inputs\\\": [\\\"1 2\\\\n\\\"], \\\"outputs\\\": [\\\"3\\\\n\\\"]}\", \"difficulty\": \"introductory\", \"starter_code\": \"\"}",
                "{\"problem_id\": 2, \"question\": \"Write f.\", \"input_output\": \"{\\\"inputs\\\": [[1]], \\\"outputs\\\": [2], \\\"fn_name\\\": \\\"f\\\"}\", \"starter_code\": \"def f(x):\\n\"}");
        try (ProblemStream s = open("apps.jsonl", Map.of())) {
            Problem p = s.next();
            assertThat(p.domain()).isEqualTo("code");
            assertThat(p.prompt()).isEqualTo("Add two numbers.");
            assertThat(p.metadata()).containsEntry("inputs", List.of("1 2\n")).containsEntry("outputs", List.of("3\n"));
            Problem call = s.next();
            assertThat(call.metadata()).containsEntry("fn_name", "f").containsEntry("inputs", List.of(List.of(1)))
                    .containsEntry("outputs", List.of(2));
            assertThat(s.size()).hasValue(2);
            assertThat(s.notes()).isEmpty();
        }
    }

    @Test
    void argumentListsWithoutAFunctionNameAreAnError() throws IOException {
        write("nofn.jsonl", "{\"question\": \"Write f.\", \"input_output\": \"{\\\"inputs\\\": [[1, 2]], \\\"outputs\\\": [3]}\"}");
        assertThatThrownBy(() -> open("nofn.jsonl", Map.of())).isInstanceOf(DataException.class)
                .hasMessageContainingAll("nofn.jsonl:1", "input_output.inputs", "input_output.fn_name");
    }

    @Test
    void liveCodeBenchFunctionalTestsAreCallBased() throws IOException {
        String cases = "[{\\\"input\\\": \\\"[2, 7, 11, 15]\\\\n9\\\", \\\"output\\\": \\\"[0, 1]\\\", \\\"testtype\\\": \\\"functional\\\"}]";
        write("lcbf.jsonl", "{\"question_id\": \"q1\", \"question_content\": \"Two sum.\", \"starter_code\": \"class Solution:\\n    def twoSum(self, nums, target):\\n\", "
                + "\"public_test_cases\": \"" + cases + "\", \"metadata\": \"{\\\"func_name\\\": \\\"twoSum\\\"}\"}",
                "{\"question_id\": \"q2\", \"question_content\": \"Two sum.\", \"public_test_cases\": \"" + cases + "\", \"metadata\": \"{}\"}");
        assertThatThrownBy(() -> all("lcbf.jsonl")).isInstanceOf(DataException.class)
                .hasMessageContainingAll("lcbf.jsonl:2", "metadata.func_name", "func_name is null");
        Problem p = all("lcbf.jsonl", Map.of("limit", 1)).getFirst();
        assertThat(p.prompt()).contains("Two sum.", "class Solution:");
        assertThat(p.metadata()).containsEntry("fn_name", "twoSum").containsEntry("inputs", List.of(List.of(List.of(2, 7, 11, 15), 9)))
                .containsEntry("outputs", List.of(List.of(0, 1)));
    }

    @Test
    void leetCodeRowsCheckTheSolutionClass() throws IOException {
        write("leetcode.jsonl", """
                {"task_id": "two-sum", "question_id": 1, "difficulty": "Easy", "problem_description": "Given nums and target…", \
                "starter_code": "class Solution:\\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\\n        ", \
                "prompt": "from typing import *\\n", "entry_point": "Solution().twoSum", \
                "test": "def check(candidate):\\n    assert candidate(nums = [2,7,11,15], target = 9) == [0,1]\\n", \
                "input_output": [{"input": "nums = [2,7,11,15], target = 9", "output": "[0,1]"}], "query": "You are an expert Python programmer… Two sum."}""");
        Problem p = all("leetcode.jsonl").getFirst();
        assertThat(p.id()).isEqualTo("two-sum");
        assertThat(p.domain()).isEqualTo("code");
        assertThat(p.prompt()).isEqualTo("You are an expert Python programmer… Two sum.");
        assertThat(p.metadata()).containsEntry("entry_point", "Solution().twoSum").containsEntry("prelude", "from typing import *\n")
                .containsEntry("code_prompt", "").containsEntry("difficulty", "Easy");
        assertThat((String) p.metadata().get("test")).startsWith("def check(candidate):");
    }

    @Test
    void codeContestsTestsFromEverySplit() throws IOException {
        write("cc.jsonl", "{\"name\": \"A\", \"description\": \"Echo a number.\", \"public_tests\": {\"input\": [\"1\\n\"], \"output\": [\"1\\n\"]}, "
                + "\"private_tests\": {\"input\": [\"2\\n\"], \"output\": [\"2\\n\"]}, \"generated_tests\": {\"input\": [], \"output\": []}}");
        Problem p = all("cc.jsonl").getFirst();
        assertThat(p.metadata()).containsEntry("inputs", List.of("1\n", "2\n")).containsEntry("outputs", List.of("1\n", "2\n"));
    }

    /** open-r1/codeforces rows: the statement from its parts (or its verifiable-prompts prompt), official tests, the generated checker. */
    @Test
    void codeforcesRowsWithTheirCheckerAndTheRowsNoStdinJudgeCanRun() throws IOException {
        write("cf.jsonl",
                "{\"id\": \"1A\", \"title\": \"Pairs\", \"description\": \"Print two numbers summing to n.\", \"input_format\": \"One integer n.\", "
                        + "\"output_format\": \"Two integers.\", \"examples\": [{\"input\": \"5\\n\", \"output\": \"2 3\\n\"}], \"note\": null, "
                        + "\"time_limit\": 1.0, \"memory_limit\": 256.0, \"input_mode\": \"stdio\", \"interaction_format\": null, "
                        + "\"official_tests\": [{\"input\": \"5\\n\", \"output\": \"2 3\\n\"}, {\"input\": \"8\\n\", \"output\": \"4 4\\n\"}], "
                        + "\"generated_checker\": \"print(1)\"}",
                "{\"id\": \"1B\", \"prompt\": \"You are given a problem. Solve it in Python.\", \"description\": \"x\", \"input_mode\": \"stdio\", "
                        + "\"official_tests\": [{\"input\": \"1\\n\", \"output\": \"1\\n\"}], \"generated_checker\": null}",
                "{\"id\": \"1C\", \"description\": \"Read input.txt.\", \"input_mode\": \"file\", \"official_tests\": [{\"input\": \"1\", \"output\": \"1\"}]}",
                "{\"id\": \"1D\", \"description\": \"Guess.\", \"interaction_format\": \"Ask queries.\", \"official_tests\": [{\"input\": \"1\", \"output\": \"1\"}]}");
        try (ProblemStream s = open("cf.jsonl", Map.of())) {
            List<Problem> ps = s.next(2);
            Problem a = ps.get(0);
            assertThat(a.domain()).isEqualTo("code");
            assertThat(a.prompt()).isEqualTo("Pairs\n\nPrint two numbers summing to n.\n\nInput\nOne integer n.\n\nOutput\nTwo integers.\n\nExamples\n\nInput\n5\n\nOutput\n2 3");
            assertThat(a.metadata()).containsEntry("inputs", List.of("5\n", "8\n")).containsEntry("outputs", List.of("2 3\n", "4 4\n"))
                    .containsEntry("checker", "print(1)").containsKey("time_limit");
            assertThat(ps.get(1).prompt()).isEqualTo("You are given a problem. Solve it in Python.");
            assertThat(ps.get(1).metadata()).doesNotContainKey("checker");
            assertThat(s.size()).hasValue(2);
            assertThat(s.notes()).singleElement().asString().contains("2 rows skipped", "input_mode file", "interactive");
        }
        write("bad.jsonl", "{\"description\": \"x\", \"official_tests\": [{\"input\": 1}]}");
        assertThatThrownBy(() -> all("bad.jsonl")).isInstanceOf(DataException.class)
                .hasMessageContaining("bad.jsonl").hasMessageContaining("official_tests[0] must be {\"input\": string, \"output\": string}");
    }

    @Test
    void liveCodeBenchStdinTestsWithStarterCode() throws IOException {
        write("lcb.jsonl", "{\"question_id\": \"abc\", \"question_content\": \"Print the sum.\", \"starter_code\": \"\", "
                + "\"public_test_cases\": \"[{\\\"input\\\": \\\"1 2\\\\n\\\", \\\"output\\\": \\\"3\\\\n\\\", \\\"testtype\\\": \\\"stdin\\\"}]\", "
                + "\"private_test_cases\": \"eJzLSM3JyQcABiwCFQ==\"}");
        Problem p = all("lcb.jsonl").getFirst();
        assertThat(p.metadata()).containsEntry("inputs", List.of("1 2\n")).containsEntry("question_id", "abc");
    }

    @Test
    void explicitKeysWithNestedPaths() throws IOException {
        write("custom.jsonl", "{\"q\": {\"text\": \"2+2?\"}, \"meta\": {\"gold\": 4}, \"uid\": \"x1\"}");
        Problem p = all("custom.jsonl", Map.of("prompt_key", "q.text", "answer_key", "meta.gold", "id_key", "uid")).getFirst();
        assertThat(p.prompt()).isEqualTo("2+2?");
        assertThat(p.answer()).isEqualTo("4");
        assertThat(p.id()).isEqualTo("x1");
    }

    @Test
    void aPresetOrAKeyOverridesWhatTheFieldsSuggest() throws IOException {
        write("both.jsonl", "{\"question\": \"What?\", \"answer\": \"7\", \"alt\": \"8\"}");
        assertThat(all("both.jsonl").getFirst().answer()).isEqualTo("7");
        assertThat(all("both.jsonl", Map.of("answer_key", "alt")).getFirst().answer()).isEqualTo("8");
    }

    @Test
    void aMissingMappedFieldNamesFileRowAndField() throws IOException {
        write("m.jsonl", "{\"q\": \"1?\", \"a\": \"1\"}", "{\"q\": \"2?\"}");
        assertThatThrownBy(() -> open("m.jsonl", Map.of("prompt_key", "q", "answer_key", "a"))).isInstanceOf(DataException.class)
                .hasMessageContainingAll("m.jsonl:2", "field a", "has no field 'a'", "(it has: q)");
    }

    @Test
    void aNestedPathThatDoesNotExistNamesWhereItStops() throws IOException {
        write("n.jsonl", "{\"prompt\": \"1?\", \"reward_model\": {\"style\": \"rule\"}}");
        assertThatThrownBy(() -> open("n.jsonl", Map.of("answer_key", "reward_model.ground_truth"))).isInstanceOf(DataException.class)
                .hasMessageContainingAll("n.jsonl:1", "reward_model.ground_truth", "reward_model has no field 'ground_truth'", "style");
    }

    @Test
    void testsThatAreNotJsonAreAnError() throws IOException {
        write("bad.jsonl", "{\"question\": \"Q\", \"input_output\": \"{inputs: oops\"}");
        assertThatThrownBy(() -> open("bad.jsonl", Map.of())).isInstanceOf(DataException.class)
                .hasMessageContainingAll("bad.jsonl:1", "input_output is not JSON");
    }

    @Test
    void aFileWithoutAnyUsableRowIsAnError() throws IOException {
        write("proofs.jsonl", "{\"question\": \"Prove A.\", \"final_answer\": null}", "{\"question\": \"Prove B.\", \"final_answer\": []}");
        assertThatThrownBy(() -> open("proofs.jsonl", Map.of())).isInstanceOf(DataException.class)
                .hasMessageContainingAll("proofs.jsonl", "no row has a usable answer", "2 rows skipped");
    }

    @Test
    void unknownShapesAndPresetsAreClearErrors() throws IOException {
        write("odd.jsonl", "{\"text\": \"hello\"}");
        assertThatThrownBy(() -> open("odd.jsonl", Map.of())).isInstanceOf(DataException.class)
                .hasMessageContainingAll("odd.jsonl", "cannot tell the data set's shape", "(text)", "preset", "prompt_key");
        assertThatThrownBy(() -> open("odd.jsonl", Map.of("preset", "mmlu"))).isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("preset", "mmlu", "gsm8k");
    }
}
