package io.rlvr4j.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rlvr4j.api.math.KlEstimator;
import io.rlvr4j.api.objective.LossAggregation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    /** Where each full key is in a pretend run.yaml. */
    private static final Map<String, Integer> LINES = Map.of(
            "algorithm", 3, "algorithm.clip_high", 7, "algorithm.loss_agg", 8, "algorithm.epochs", 9,
            "algorithm.optimizer", 10, "algorithm.optimizer.lr", 11, "algorithm.optimizer.betas", 12, "algorithm.clpi_low", 13);

    private static Settings algorithm(Map<String, ?> values) {
        return new Settings("algorithm", values, Path.of("/runs/exp1"),
                key -> LINES.containsKey(key) ? "run.yaml:" + LINES.get(key) : null);
    }

    @Test
    void typedReadsReturnTheValues() {
        Settings s = Settings.of(Map.of("name", "rloo", "n", 8, "big", 5_000_000_000L, "lr", 1e-6, "on", true,
                "list", List.of("math", "code")));
        assertThat(s.string("name", "x")).isEqualTo("rloo");
        assertThat(s.integer("n", 0)).isEqualTo(8);
        assertThat(s.longValue("big", 0)).isEqualTo(5_000_000_000L);
        assertThat(s.number("lr", 0)).isEqualTo(1e-6);
        assertThat(s.number("n", 0)).isEqualTo(8.0);
        assertThat(s.flag("on", false)).isTrue();
        assertThat(s.strings("list", List.of())).containsExactly("math", "code");
    }

    @Test
    void absentKeysGiveTheirDefaults() {
        Settings s = Settings.empty();
        assertThat(s.string("a", "d")).isEqualTo("d");
        assertThat(s.integer("a", 3)).isEqualTo(3);
        assertThat(s.longValue("a", 4)).isEqualTo(4);
        assertThat(s.number("a", 0.5)).isEqualTo(0.5);
        assertThat(s.flag("a", true)).isTrue();
        assertThat(s.strings("a", List.of("x"))).containsExactly("x");
        assertThat(s.choice("a", KlEstimator.class, KlEstimator.K3)).isEqualTo(KlEstimator.K3);
        assertThat(s.path("a", null)).isNull();
    }

    @Test
    void numbersAndFlagsReadAsText() {
        Settings s = Settings.of(Map.of("answer", 42, "flag", false));
        assertThat(s.string("answer", null)).isEqualTo("42");
        assertThat(s.string("flag", null)).isEqualTo("false");
    }

    @Test
    void wholeDoublesReadAsIntegers() {
        assertThat(Settings.of(Map.of("n", 8.0)).integer("n", 0)).isEqualTo(8);
    }

    @Test
    void aWrongTypeNamesTheLocationKeyValueAndRule() {
        Settings s = algorithm(Map.of("clip_high", "wide"));
        assertThatThrownBy(() -> s.number("clip_high", 0.2))
                .isInstanceOf(ConfigException.class)
                .hasMessage("run.yaml:7: algorithm.clip_high = \"wide\" — expected a number")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("algorithm.clip_high"));
    }

    @Test
    void aFiniteNumberRejectsInfinityAndNaN() {
        Settings s = Settings.of(Map.of("reward", Double.POSITIVE_INFINITY, "other", Double.NaN, "ok", -0.5));
        assertThat(s.finiteNumber("ok", 0)).isEqualTo(-0.5);
        assertThat(s.finiteNumber("absent", 1)).isEqualTo(1.0);
        assertThatThrownBy(() -> s.finiteNumber("reward", 1)).isInstanceOf(ConfigException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> s.finiteNumber("other", 1)).isInstanceOf(ConfigException.class).hasMessageContaining("finite");
    }

    @Test
    void aFractionIsNotAnInteger() {
        Settings s = algorithm(Map.of("epochs", 1.5));
        assertThatThrownBy(() -> s.integer("epochs", 1)).isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("run.yaml:9", "algorithm.epochs", "1.5", "expected an integer");
    }

    @Test
    void anIntegerOutsideTheIntRangeIsRejected() {
        Settings s = algorithm(Map.of("epochs", 3_000_000_000L));
        assertThatThrownBy(() -> s.integer("epochs", 1)).isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("algorithm.epochs", "3000000000", "int range");
    }

    @Test
    void aFlagMustBeABoolean() {
        Settings s = Settings.of(Map.of("shuffle", "yes"));
        assertThatThrownBy(() -> s.flag("shuffle", true)).hasMessageContainingAll("shuffle = \"yes\"", "expected true or false");
    }

    @Test
    void withoutALocationTheMessageStartsWithTheKey() {
        assertThatThrownBy(() -> Settings.of(Map.of("lr", "x")).number("lr", 0)).hasMessage("lr = \"x\" — expected a number");
    }

    @Test
    void aMissingRequiredKeyIsNamed() {
        Settings s = algorithm(Map.of());
        assertThatThrownBy(() -> s.requireString("path")).isInstanceOf(ConfigException.class)
                .hasMessage("run.yaml:3: missing algorithm.path: expected a text value");
        assertThatThrownBy(() -> s.requirePath("path")).hasMessageContaining("expected a file path");
    }

    @Test
    void choiceAcceptsKebabAndSnakeCaseInAnyCase() {
        Settings s = Settings.of(Map.of("a", "token-mean", "b", "SEQ_MEAN_TOKEN_SUM", "c", " k2 "));
        assertThat(s.choice("a", LossAggregation.class, null)).isEqualTo(LossAggregation.TOKEN_MEAN);
        assertThat(s.choice("b", LossAggregation.class, null)).isEqualTo(LossAggregation.SEQ_MEAN_TOKEN_SUM);
        assertThat(s.choice("c", KlEstimator.class, null)).isEqualTo(KlEstimator.K2);
    }

    @Test
    void anUnknownChoiceListsTheValidNames() {
        Settings s = algorithm(Map.of("loss_agg", "token-sum"));
        assertThatThrownBy(() -> s.choice("loss_agg", LossAggregation.class, LossAggregation.TOKEN_MEAN))
                .isInstanceOf(ConfigException.class)
                .hasMessage("run.yaml:8: algorithm.loss_agg = \"token-sum\" — expected one of: "
                        + "token-mean, seq-mean-token-sum, seq-mean-token-mean, seq-mean-token-sum-norm");
    }

    @Test
    void rejectUnknownNamesTheUnknownKeyAndTheValidOnes() {
        Settings s = algorithm(Map.of("clip_high", 0.28, "clpi_low", 0.2));
        s.number("clip_high", 0.2);
        s.number("clip_low", 0.2);
        assertThatThrownBy(s::rejectUnknown).isInstanceOf(ConfigException.class)
                .hasMessage("run.yaml:13: unknown key algorithm.clpi_low. Valid keys here: clip_high, clip_low.")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("algorithm.clpi_low"));
    }

    @Test
    void rejectUnknownPassesWhenEveryKeyWasRead() {
        Settings s = algorithm(Map.of("clip_high", 0.28));
        s.number("clip_high", 0.2);
        s.integer("epochs", 1);
        assertThatCode(s::rejectUnknown).doesNotThrowAnyException();
    }

    @Test
    void rejectUnknownSaysWhenAPluginTakesNoSettings() {
        Settings s = Settings.of(Map.of("x", 1));
        assertThatThrownBy(s::rejectUnknown).hasMessageContaining("none (this plugin takes no settings)");
    }

    @Test
    void nestedSectionsCarryTheirDottedPrefix() {
        Settings s = algorithm(Map.of("optimizer", Map.of("lr", "fast")));
        Settings opt = s.section("optimizer");
        assertThat(opt.prefix()).isEqualTo("algorithm.optimizer");
        assertThatThrownBy(() -> opt.number("lr", 1e-6)).hasMessage("run.yaml:11: algorithm.optimizer.lr = \"fast\" — expected a number");
        assertThat(s.section("optimizer")).isSameAs(opt);
    }

    @Test
    void rejectUnknownLooksIntoSections() {
        Settings s = algorithm(Map.of("optimizer", Map.of("lr", 1e-6, "betas", List.of(0.9, 0.99))));
        s.section("optimizer").number("lr", 0);
        assertThatThrownBy(s::rejectUnknown).hasMessage("run.yaml:12: unknown key algorithm.optimizer.betas. Valid keys here: lr.");
    }

    @Test
    void anAbsentSectionIsEmptyAndAScalarIsNoSection() {
        assertThat(algorithm(Map.of()).section("optimizer").keys()).isEmpty();
        assertThatThrownBy(() -> algorithm(Map.of("optimizer", 3)).section("optimizer"))
                .hasMessage("run.yaml:10: algorithm.optimizer = 3 — expected a section of keys");
    }

    @Test
    void relativePathsResolveAgainstTheConfigurationDirectory() {
        Settings s = algorithm(Map.of("data", "data/train.jsonl", "up", "../shared/x.jsonl", "abs", "/tmp/y.jsonl"));
        assertThat(s.path("data", null)).isEqualTo(Path.of("/runs/exp1/data/train.jsonl"));
        assertThat(s.path("up", null)).isEqualTo(Path.of("/runs/shared/x.jsonl"));
        assertThat(s.requirePath("abs")).isEqualTo(Path.of("/tmp/y.jsonl"));
        assertThat(s.path("missing", Path.of("d"))).isEqualTo(Path.of("d"));
    }

    @Test
    void aSingleValueIsAListOfOne() {
        assertThat(Settings.of(Map.of("domains", "math")).strings("domains", List.of())).containsExactly("math");
    }

    @Test
    void aListOfSectionsIsNotAListOfText() {
        Settings s = Settings.of(Map.of("domains", List.of(Map.of("a", 1))));
        assertThatThrownBy(() -> s.strings("domains", List.of())).hasMessageContaining("expected a list of text values");
    }

    @Test
    void pluginsPhraseTheirOwnRulesWithInvalid() {
        Settings s = algorithm(Map.of("epochs", 0));
        ConfigException e = s.invalid("epochs", "must be at least 1");
        assertThat(e).hasMessage("run.yaml:9: algorithm.epochs = 0 — must be at least 1");
        assertThat(e.key()).isEqualTo("algorithm.epochs");
    }

    @Test
    void hasAndKeysDescribeTheSlice() {
        Settings s = Settings.of(Map.of("a", 1));
        assertThat(s.has("a")).isTrue();
        assertThat(s.has("b")).isFalse();
        assertThat(s.keys()).containsExactly("a");
        assertThat(s.prefix()).isEmpty();
    }

    @Test
    void sectionListItemsCarryAnIndexedPrefix() {
        Settings root = new Settings("", Map.of("rewards", List.of(Map.of("name", "math", "wrong_reward", "low"))), Path.of(""),
                key -> key.equals("rewards[0].wrong_reward") ? "run.yaml:21" : null);
        List<Settings> items = root.sectionList("rewards");
        assertThat(items).hasSize(1);
        assertThat(items.getFirst().prefix()).isEqualTo("rewards[0]");
        assertThat(items.getFirst().string("name", null)).isEqualTo("math");
        assertThatThrownBy(() -> items.getFirst().number("wrong_reward", 0))
                .hasMessage("run.yaml:21: rewards[0].wrong_reward = \"low\" — expected a number");
        assertThat(root.sectionList("rewards")).isSameAs(items);
        assertThat(root.sectionList("absent")).isEmpty();
    }

    @Test
    void sectionListRejectsItemsThatAreNotSections() {
        Settings root = Settings.of(Map.of("stages", List.of(Map.of("type", "sft"), "rl"), "rewards", "math"));
        assertThatThrownBy(() -> root.sectionList("stages")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("stages[1] — expected a section of keys");
        assertThatThrownBy(() -> root.sectionList("rewards")).hasMessageContaining("expected a list of sections");
    }

    @Test
    void rejectUnknownLooksIntoSectionListItems() {
        Settings root = Settings.of(Map.of("rewards", List.of(Map.of("name", "math", "correct_rewrd", 1))));
        root.sectionList("rewards").getFirst().string("name", null);
        assertThatThrownBy(root::rejectUnknown).hasMessageContaining("unknown key rewards[0].correct_rewrd. Valid keys here: name.");
    }
}
