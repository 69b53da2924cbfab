package io.rlvr4j.data.internal;

import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.contract.DataSourceContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class JsonlDataSourceContractTest extends DataSourceContract {

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeFile() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            lines.add(i % 3 == 0
                    ? "{\"messages\": [{\"role\": \"user\", \"content\": \"" + i + "+1=\"}], \"answer\": " + (i + 1) + "}"
                    : "{\"id\": \"q" + i + "\", \"prompt\": \"" + i + "+1=\", \"answer\": \"" + (i + 1) + "\", \"level\": " + (i % 5) + "}");
            if (i % 7 == 0) lines.add("");
        }
        Files.write(dir.resolve("train.jsonl"), lines);
    }

    @Override
    protected DataSource source() {
        return new JsonlDataSource();
    }

    @Override
    protected Settings settings() {
        return new Settings("data.train", Map.of("path", "train.jsonl", "shuffle", true, "seed", 11, "domain", "math", "limit", 0),
                dir, key -> null);
    }
}
