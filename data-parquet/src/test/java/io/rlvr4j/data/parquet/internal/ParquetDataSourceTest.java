package io.rlvr4j.data.parquet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.ChatMessage;
import io.rlvr4j.api.DataException;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet files the tests write with DuckDB, in the shapes users bring. */
class ParquetDataSourceTest {

    @TempDir
    Path dir;

    /** Writes the rows of {@code select} to {@code name} as Parquet with {@code codec}. */
    private Path parquet(String name, String select, String codec) throws SQLException {
        Path p = dir.resolve(name);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + p.toAbsolutePath() + "' (FORMAT PARQUET, COMPRESSION " + codec + ")");
        }
        return p;
    }

    private ProblemStream open(String file, Map<String, Object> more) {
        Map<String, Object> values = new HashMap<>(more);
        values.put("path", file);
        values.put("shuffle", false);
        return new ParquetDataSource().open(new Settings("data.train", values, dir, key -> "run.yaml:3"));
    }

    private List<Problem> all(String file, Map<String, Object> more) {
        try (ProblemStream s = open(file, more)) {
            return s.next((int) s.size().orElseThrow());
        }
    }

    @Test
    void verlRowsWithNestedStructsAndLists() throws SQLException {
        parquet("train.parquet", """
                SELECT 'openai/gsm8k' AS data_source, [{'role': 'user', 'content': 'Q' || i}] AS prompt, 'math' AS ability,
                       {'style': 'rule', 'ground_truth': CAST(i * 10 AS VARCHAR)} AS reward_model,
                       {'split': 'train', 'index': i} AS extra_info
                FROM range(3) t(i)""", "snappy");
        List<Problem> ps = all("train.parquet", Map.of());
        assertThat(ps).hasSize(3);
        assertThat(ps.get(2).messages()).containsExactly(new ChatMessage("user", "Q2"));
        assertThat(ps.get(2).answer()).isEqualTo("20");
        assertThat(ps.get(2).id()).isEqualTo("train.parquet:3");
        assertThat(ps.get(2).metadata()).containsEntry("data_source", "openai/gsm8k").containsEntry("extra_info", Map.of("split", "train", "index", 2));
    }

    @Test
    void math500AndAmcShapesWithNumbersAsWritten() throws SQLException {
        parquet("math.parquet", "SELECT 'What is 1+1?' AS problem, '2' AS answer, 'So $\\boxed{2}$.' AS solution, 'Algebra' AS subject", "zstd");
        parquet("amc.parquet", "SELECT 0 AS id, 'Find x.' AS problem, 27.0::DOUBLE AS answer", "zstd");
        assertThat(all("math.parquet", Map.of()).getFirst().answer()).isEqualTo("2");
        // DuckDB's to_json writes the double 27.0 as 27: the same number to the math verifier
        assertThat(all("amc.parquet", Map.of()).getFirst().answer()).isEqualTo("27");
    }

    @Test
    void gsm8kAndCodeRows() throws SQLException {
        parquet("gsm8k.parquet", "SELECT 'How many?' AS question, 'Add: <<1+1=2>>2.' || chr(10) || '#### 2' AS answer", "snappy");
        parquet("apps.parquet", "SELECT 'Add.' AS question, '{\"inputs\": [\"1 2\\n\"], \"outputs\": [\"3\\n\"]}' AS input_output, '' AS starter_code", "snappy");
        Problem g = all("gsm8k.parquet", Map.of()).getFirst();
        assertThat(g.answer()).isEqualTo("2");
        Problem a = all("apps.parquet", Map.of()).getFirst();
        assertThat(a.domain()).isEqualTo("code");
        assertThat(a.metadata()).containsEntry("inputs", List.of("1 2\n"));
    }

    @Test
    void explicitNestedKeysAndRowsWithoutAnswerCounted() throws SQLException {
        parquet("custom.parquet", "SELECT {'text': 'Q' || i} AS q, {'gold': CASE WHEN i = 1 THEN NULL ELSE i END} AS meta FROM range(3) t(i)", "snappy");
        try (ProblemStream s = open("custom.parquet", Map.of("prompt_key", "q.text", "answer_key", "meta.gold"))) {
            assertThat(s.size()).hasValue(2);
            assertThat(s.next().answer()).isEqualTo("0");
            assertThat(s.notes()).singleElement().asString().contains("custom.parquet", "1 row skipped", "no answer (first: row 2)");
        }
    }

    @Test
    void aNestedPathThatDoesNotExistNamesFileRowAndField() throws SQLException {
        parquet("v.parquet", "SELECT 'Q' AS prompt, {'style': 'rule'} AS reward_model", "snappy");
        assertThatThrownBy(() -> open("v.parquet", Map.of("answer_key", "reward_model.ground_truth"))).isInstanceOf(DataException.class)
                .hasMessageContainingAll("v.parquet:row 1", "field reward_model.ground_truth", "reward_model has no field 'ground_truth'");
    }

    @Test
    void aFileThatIsNotParquetIsOneClearError() throws IOException {
        Files.writeString(dir.resolve("fake.parquet"), "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n");
        assertThatThrownBy(() -> open("fake.parquet", Map.of())).isInstanceOf(DataException.class)
                .hasMessageContainingAll("fake.parquet", "not a Parquet file", "source: jsonl");
        assertThatThrownBy(() -> open("missing.parquet", Map.of())).isInstanceOf(DataException.class)
                .hasMessageContainingAll("file not found", "missing.parquet", "data.train.path");
    }
}
