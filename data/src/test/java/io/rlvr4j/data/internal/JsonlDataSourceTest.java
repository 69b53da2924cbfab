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
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlDataSourceTest {

    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return p;
    }

    private ProblemStream open(Map<String, ?> values) {
        return new JsonlDataSource().open(new Settings("data.train", values, dir, key -> "run.yaml:4"));
    }

    private ProblemStream openInOrder(String file) {
        return open(Map.of("path", file, "shuffle", false));
    }

    private List<Problem> all(String file) {
        try (ProblemStream s = openInOrder(file)) {
            return s.next((int) s.size().orElseThrow());
        }
    }

    /** Asserts that opening {@code file} fails naming the file, the line and {@code what}. */
    private void assertError(String file, int line, String... what) {
        assertThatThrownBy(() -> openInOrder(file)).isInstanceOf(DataException.class)
                .hasMessageContaining(file + ":" + line + ":")
                .hasMessageContainingAll(what);
    }

    @Test
    void readsPromptAnswerAndMetadata() throws IOException {
        write("a.jsonl", "{\"id\": \"p1\", \"prompt\": \"1+1=\", \"answer\": \"2\", \"level\": 3, \"source\": \"toy\", \"tags\": [\"a\", null]}");
        Problem p = all("a.jsonl").getFirst();
        assertThat(p.id()).isEqualTo("p1");
        assertThat(p.prompt()).isEqualTo("1+1=");
        assertThat(p.answer()).isEqualTo("2");
        assertThat(p.domain()).isEqualTo("math");
        assertThat(p.metadata()).containsEntry("level", 3).containsEntry("source", "toy");
        assertThat(p.metadata().get("tags")).isEqualTo(java.util.Arrays.asList("a", null));
    }

    @Test
    void readsChatMessages() throws IOException {
        write("chat.jsonl", "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, "
                + "{\"role\": \"user\", \"content\": \"2*3=\", \"name\": \"ignored\"}], \"answer\": 6}");
        Problem p = all("chat.jsonl").getFirst();
        assertThat(p.prompt()).isNull();
        assertThat(p.messages()).containsExactly(new ChatMessage("system", "Be brief."), new ChatMessage("user", "2*3="));
        assertThat(p.answer()).isEqualTo("6");
    }

    @Test
    void readsAPromptGivenAsChatMessagesAsVerlRowsHaveIt() throws IOException {
        write("verl.jsonl", "{\"prompt\": [{\"role\": \"user\", \"content\": \"2*3=\"}], \"answer\": \"6\"}",
                "{\"prompt\": [{\"role\": \"robot\", \"content\": \"x\"}], \"answer\": \"6\"}");
        assertError("verl.jsonl", 2, "prompt[0].role is \"robot\"");
        write("verl.jsonl", "{\"prompt\": [{\"role\": \"user\", \"content\": \"2*3=\"}], \"answer\": \"6\"}");
        Problem p = all("verl.jsonl").getFirst();
        assertThat(p.prompt()).isNull();
        assertThat(p.messages()).containsExactly(new ChatMessage("user", "2*3="));
    }

    @Test
    void idDefaultsToFileNameAndLine() throws IOException {
        write("ids.jsonl", "{\"prompt\": \"a\"}", "", "{\"prompt\": \"b\", \"id\": 17}", "{\"prompt\": \"c\"}");
        assertThat(all("ids.jsonl")).extracting(Problem::id).containsExactly("ids.jsonl:1", "17", "ids.jsonl:4");
    }

    @Test
    void numericAnswersKeepTheirLiteralText() throws IOException {
        write("num.jsonl", "{\"prompt\": \"a\", \"answer\": 0.50}", "{\"prompt\": \"b\", \"answer\": -12}",
                "{\"prompt\": \"c\", \"answer\": 123456789012345678901234567890}", "{\"prompt\": \"d\", \"answer\": 1e3}",
                "{\"prompt\": \"e\"}", "{\"prompt\": \"f\", \"answer\": null}");
        assertThat(all("num.jsonl")).extracting(Problem::answer)
                .containsExactly("0.50", "-12", "123456789012345678901234567890", "1000", null, null);
    }

    @Test
    void solutionGoesIntoMetadata() throws IOException {
        write("sft.jsonl", "{\"prompt\": \"2+2=\", \"answer\": \"4\", \"solution\": \"2+2=4\\n\\\\boxed{4}\"}");
        assertThat(all("sft.jsonl").getFirst().metadata()).containsEntry("solution", "2+2=4\n\\boxed{4}");
    }

    @Test
    void domainComesFromTheLineOrTheSetting() throws IOException {
        write("dom.jsonl", "{\"prompt\": \"a\", \"domain\": \"code\"}", "{\"prompt\": \"b\"}");
        try (ProblemStream s = open(Map.of("path", "dom.jsonl", "shuffle", false, "domain", "logic"))) {
            assertThat(s.next(2)).extracting(Problem::domain).containsExactly("code", "logic");
        }
    }

    @Test
    void metadataKeepsNumbersAndNestedStructures() throws IOException {
        write("meta.jsonl", "{\"prompt\": \"a\", \"big\": 99999999999999999999, \"x\": 1.5, \"ok\": true, "
                + "\"tests\": {\"input\": [\"1\"], \"output\": [\"2\"]}, \"gone\": null}");
        Map<String, Object> m = all("meta.jsonl").getFirst().metadata();
        assertThat(m).containsEntry("big", new BigInteger("99999999999999999999")).containsEntry("x", 1.5)
                .containsEntry("ok", true).doesNotContainKey("gone");
        assertThat(m.get("tests")).isEqualTo(Map.of("input", List.of("1"), "output", List.of("2")));
    }

    @Test
    void skipsBlankLinesAndAByteOrderMark() throws IOException {
        Files.writeString(dir.resolve("bom.jsonl"), "\uFEFF{\"prompt\": \"a\"}\n\n   \n{\"prompt\": \"b\"}", StandardCharsets.UTF_8);
        assertThat(all("bom.jsonl")).extracting(Problem::prompt).containsExactly("a", "b");
    }

    @Test
    void limitKeepsTheFirstProblemsOfTheFile() throws IOException {
        write("lim.jsonl", "{\"prompt\": \"a\"}", "{\"prompt\": \"b\"}", "{\"prompt\": \"c\"}", "not json at all");
        try (ProblemStream s = open(Map.of("path", "lim.jsonl", "shuffle", false, "limit", 2))) {
            assertThat(s.size()).hasValue(2);
            assertThat(s.next(3)).extracting(Problem::prompt).containsExactly("a", "b", "a");
        }
    }

    private Path numbered(int n) throws IOException {
        return write("n.jsonl", IntStream.range(0, n).mapToObj(i -> "{\"id\": " + i + ", \"prompt\": \"p" + i + "\"}").toArray(String[]::new));
    }

    private static List<String> ids(ProblemStream s, int n) {
        return s.next(n).stream().map(Problem::id).toList();
    }

    @Test
    void withoutShuffleTheFileOrderRepeats() throws IOException {
        numbered(5);
        try (ProblemStream s = openInOrder("n.jsonl")) {
            assertThat(ids(s, 12)).containsExactly("0", "1", "2", "3", "4", "0", "1", "2", "3", "4", "0", "1");
        }
    }

    @Test
    void eachEpochIsReshuffledDeterministically() throws IOException {
        numbered(50);
        Map<String, Object> settings = new HashMap<>(Map.of("path", "n.jsonl", "seed", 3));
        List<String> epoch0;
        List<String> epoch1;
        try (ProblemStream s = open(settings)) {
            epoch0 = ids(s, 50);
            epoch1 = ids(s, 50);
        }
        assertThat(epoch0).doesNotHaveDuplicates().hasSize(50);
        assertThat(epoch1).containsExactlyInAnyOrderElementsOf(epoch0).isNotEqualTo(epoch0);
        assertThat(epoch0).isNotEqualTo(IntStream.range(0, 50).mapToObj(String::valueOf).toList());
        try (ProblemStream again = open(settings)) {
            assertThat(ids(again, 50)).isEqualTo(epoch0);
            assertThat(ids(again, 50)).isEqualTo(epoch1);
        }
        settings.put("seed", 4);
        try (ProblemStream other = open(settings)) {
            assertThat(ids(other, 50)).isNotEqualTo(epoch0);
        }
    }

    @Test
    void seekLandsInTheRightEpoch() throws IOException {
        numbered(7);
        List<String> first;
        try (ProblemStream s = open(Map.of("path", "n.jsonl", "seed", 9))) {
            first = ids(s, 30);
        }
        try (ProblemStream s = open(Map.of("path", "n.jsonl", "seed", 9))) {
            s.seek(23);
            assertThat(ids(s, 7)).isEqualTo(first.subList(23, 30));
            s.seek(2);
            assertThat(ids(s, 3)).isEqualTo(first.subList(2, 5));
            assertThatThrownBy(() -> s.seek(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void relativePathsResolveAgainstTheConfigurationDirectory() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/x.jsonl"), "{\"prompt\": \"a\"}\n");
        try (ProblemStream s = open(Map.of("path", "data/x.jsonl"))) {
            assertThat(s.next().id()).isEqualTo("x.jsonl:1");
        }
    }

    // ---- errors: every one names the file and the line

    @Test
    void malformedJsonNamesLineAndColumn() throws IOException {
        write("bad.jsonl", "{\"prompt\": \"a\"}", "{\"prompt\": \"b\",, }");
        assertError("bad.jsonl", 2, "column 16", "malformed JSON");
    }

    @Test
    void trailingContentOnALineIsMalformed() throws IOException {
        write("two.jsonl", "{\"prompt\": \"a\"} {\"prompt\": \"b\"}");
        assertError("two.jsonl", 1, "malformed JSON at column 17", "more than one JSON value on the line");
    }

    @Test
    void aRepeatedKeyIsMalformed() throws IOException {
        write("dupkey.jsonl", "{\"prompt\": \"a\", \"prompt\": \"b\"}");
        assertError("dupkey.jsonl", 1, "malformed JSON", "prompt");
    }

    @Test
    void aLineMustBeAnObject() throws IOException {
        write("arr.jsonl", "{\"prompt\": \"a\"}", "[1, 2]");
        assertError("arr.jsonl", 2, "expected a JSON object", "found an array");
    }

    @Test
    void aProblemNeedsAPromptOrMessages() throws IOException {
        write("none.jsonl", "{\"prompt\": \"a\"}", "", "{\"answer\": \"2\"}");
        assertError("none.jsonl", 3, "missing \"prompt\"", "\"messages\"");
    }

    @Test
    void aProblemMustNotHaveBothPromptAndMessages() throws IOException {
        write("both.jsonl", "{\"prompt\": \"a\", \"messages\": [{\"role\": \"user\", \"content\": \"b\"}]}");
        assertError("both.jsonl", 1, "both \"prompt\" and \"messages\"", "exactly one");
    }

    @Test
    void wrongTypesAreNamed() throws IOException {
        write("t1.jsonl", "{\"prompt\": 5}");
        assertError("t1.jsonl", 1, "\"prompt\" must be a string or an array of {\"role\", \"content\"}, but is a number");
        write("t2.jsonl", "{\"prompt\": \"a\", \"answer\": true}");
        assertError("t2.jsonl", 1, "\"answer\" must be a string or a number, but is a boolean");
        write("t3.jsonl", "{\"prompt\": \"a\", \"id\": [1]}");
        assertError("t3.jsonl", 1, "\"id\" must be a string or a number, but is an array");
        write("t4.jsonl", "{\"messages\": \"hi\"}");
        assertError("t4.jsonl", 1, "\"messages\" must be an array");
        write("t5.jsonl", "{\"messages\": [{\"role\": \"user\"}]}");
        assertError("t5.jsonl", 1, "messages[0].content must be a string, but is missing");
        write("t6.jsonl", "{\"messages\": [{\"role\": \"bot\", \"content\": \"x\"}]}");
        assertError("t6.jsonl", 1, "messages[0].role is \"bot\"", "system, user or assistant");
        write("t7.jsonl", "{\"prompt\": \"a\", \"solution\": 3}");
        assertError("t7.jsonl", 1, "\"solution\" must be a string");
        write("t8.jsonl", "{\"prompt\": \"a\", \"domain\": 1}");
        assertError("t8.jsonl", 1, "\"domain\" must be a string");
        write("t9.jsonl", "{\"messages\": []}");
        assertError("t9.jsonl", 1, "\"messages\" is empty");
        write("t10.jsonl", "{\"prompt\": \"\"}");
        assertError("t10.jsonl", 1, "\"prompt\" is empty");
    }

    @Test
    void duplicateIdsNameBothLines() throws IOException {
        write("dup.jsonl", "{\"id\": \"a\", \"prompt\": \"x\"}", "{\"id\": \"b\", \"prompt\": \"y\"}", "{\"id\": \"a\", \"prompt\": \"z\"}");
        assertError("dup.jsonl", 3, "duplicate id \"a\"", "already used on line 1");
    }

    @Test
    void anEmptyFileIsAnError() throws IOException {
        Files.writeString(dir.resolve("empty.jsonl"), "");
        assertThatThrownBy(() -> openInOrder("empty.jsonl")).isInstanceOf(DataException.class)
                .hasMessageContainingAll("empty.jsonl", "contains no problems", "the file is empty");
        write("blank.jsonl", "", "  ", "");
        assertThatThrownBy(() -> openInOrder("blank.jsonl")).isInstanceOf(DataException.class)
                .hasMessageContainingAll("blank.jsonl", "all 3 lines are blank");
    }

    @Test
    void aMissingFileNamesThePathAndTheSetting() {
        assertThatThrownBy(() -> openInOrder("nowhere.jsonl")).isInstanceOf(DataException.class)
                .hasMessageContainingAll("file not found", dir.resolve("nowhere.jsonl").toString(), "data.train.path");
    }

    @Test
    void invalidUtf8NamesTheLine() throws IOException {
        Files.write(dir.resolve("latin1.jsonl"), new byte[] {'{', '}', '\n', '{', '"', 'p', '"', ':', '"', (byte) 0xE9, '"', '}', '\n'});
        assertThatThrownBy(() -> openInOrder("latin1.jsonl")).isInstanceOf(DataException.class)
                .hasMessageContainingAll("latin1.jsonl", "UTF-8");
    }

    @Test
    void settingsAreValidated() throws IOException {
        write("ok.jsonl", "{\"prompt\": \"a\"}");
        assertThatThrownBy(() -> open(Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("missing data.train.path");
        assertThatThrownBy(() -> open(Map.of("path", "ok.jsonl", "limit", -1))).isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("run.yaml:4", "data.train.limit = -1", "must be >= 0");
        assertThatThrownBy(() -> open(Map.of("path", "ok.jsonl", "shuffle", "yes"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("data.train.shuffle");
    }
}
