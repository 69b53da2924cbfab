package io.rlvr4j.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.config.ConfigException;
import io.rlvr4j.api.config.Settings;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static ConfigTree parse(String yaml) {
        return ConfigLoader.parse(new StringReader(yaml), "run.yaml", Path.of("/tmp/cfg"));
    }

    @Test
    void remembersTheLineOfEveryKey() {
        ConfigTree t = parse("""
                run:
                  name: x
                stages:
                  - type: sft
                    steps: 3
                  - type: rl
                    algorithm:
                      name: rloo
                """);
        assertThat(t.locate("run.name")).isEqualTo("run.yaml:2");
        assertThat(t.locate("stages[1].algorithm.name")).isEqualTo("run.yaml:8");
        assertThat(t.locate("stages[0].steps")).isEqualTo("run.yaml:5");
        assertThat(t.locate("stages[1].algorithm.clip_low")).as("unwritten key: nearest ancestor").isEqualTo("run.yaml:7");
    }

    @Test
    void wrongTypeNamesFileLineKeyAndValue() {
        Settings s = parse("""
                stages:
                  - type: rl
                    steps: many
                """).settings();
        Settings stage = s.sectionList("stages").getFirst();
        assertThatThrownBy(() -> stage.integer("steps", 1))
                .isInstanceOf(ConfigException.class)
                .hasMessage("run.yaml:3: stages[0].steps = \"many\" — expected an integer");
    }

    @Test
    void scientificNotationIsANumber() {
        Settings s = parse("lr: 1e-3\nother: 2.5E-4\n").settings();
        assertThat(s.number("lr", 0)).isEqualTo(1e-3);
        assertThat(s.number("other", 0)).isEqualTo(2.5e-4);
    }

    @Test
    void duplicateKeysAreErrors() {
        assertThatThrownBy(() -> parse("a: 1\nb: 2\na: 3\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("run.yaml:3: duplicate key a (first at run.yaml:1)");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertThatThrownBy(() -> parse("a: 1\nb: [1, 2\nc: 3\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("run.yaml:")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void topLevelMustBeAMapping() {
        assertThatThrownBy(() -> parse("- a\n- b\n")).hasMessageContaining("run.yaml:1: expected a mapping");
        assertThatThrownBy(() -> parse("")).hasMessageContaining("empty");
    }

    @Test
    void overridesAddressStagesByNameOrIndexAndAreLocated() {
        ConfigTree t = parse("""
                stages:
                  - type: sft
                    steps: 3
                  - type: rl
                    name: rl
                    steps: 10
                """);
        t = t.with("stages.rl.steps", ConfigLoader.parseScalar("20"), "--set stages.rl.steps");
        t = t.with("stages[0].batch_size", ConfigLoader.parseScalar("16"), "--set stages[0].batch_size");
        t = t.with("run.seed", ConfigLoader.parseScalar("5"), "--set run.seed");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stages = (List<Map<String, Object>>) t.values().get("stages");
        assertThat(stages.get(1).get("steps")).isEqualTo(20);
        assertThat(stages.get(0).get("batch_size")).isEqualTo(16);
        assertThat(t.locate("stages[1].steps")).isEqualTo("--set stages.rl.steps");
        assertThat(((Map<?, ?>) t.values().get("run")).get("seed")).isEqualTo(5);
        t = t.with("stages.0.steps", ConfigLoader.parseScalar("4"), "--set stages.0.steps");
        assertThat(((List<?>) t.values().get("stages")).get(0)).isEqualTo(Map.of("type", "sft", "steps", 4, "batch_size", 16));
        assertThatThrownBy(() -> parse("stages:\n  - type: sft\n    name: warmup\n").with("stages.nope.steps", 1, "--set stages.nope.steps"))
                .hasMessageContaining("no item of stages is named 'nope'; the items are warmup (or use an index from 0 to 0)");
    }

    @Test
    void aPluginNameAloneStandsForItsSection() {
        ConfigTree t = parse("policy: djl\nrollout: onnx\nrun: {seed: 1}\n");
        assertThat(t.settings().section("rollout").string("engine", "policy")).isEqualTo("onnx");
        assertThat(t.settings().section("policy").string("backend", "x")).isEqualTo("djl");
        assertThat(t.locate("rollout.engine")).isEqualTo("run.yaml:2");
        // keys set later join the section; a name set later replaces only the name
        ConfigTree set = t.with("rollout.threads", 1, "--set rollout.threads").with("rollout", "policy", "--set rollout");
        assertThat(set.values().get("rollout")).isEqualTo(Map.of("engine", "policy", "threads", 1));
        assertThat(set.locate("rollout.engine")).isEqualTo("--set rollout");
        // a section that takes no shorthand still must be a section
        assertThatThrownBy(() -> parse("run: fast\n").settings().section("run")).hasMessageContaining("expected a section of keys");
    }

    @Test
    void scalarsAreTypedAsYamlTypesThem() {
        assertThat(ConfigLoader.parseScalar("3")).isEqualTo(3);
        assertThat(ConfigLoader.parseScalar("0.5")).isEqualTo(0.5);
        assertThat(ConfigLoader.parseScalar("true")).isEqualTo(true);
        assertThat(ConfigLoader.parseScalar("rloo")).isEqualTo("rloo");
        assertThat(ConfigLoader.parseScalar("[1, 4]")).isEqualTo(List.of(1, 4));
    }

    @Test
    void theBuiltInDefaultRunParses() {
        ConfigTree t = ConfigLoader.loadResource("/io/rlvr4j/app/default-run.yaml");
        assertThat(t.values()).containsKeys("run", "model", "policy", "rewards", "data", "stages");
        assertThat(t.locate("stages[2].algorithm.name")).startsWith("built-in default-run.yaml:");
    }
}
