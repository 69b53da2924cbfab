package io.rlvr4j.verifier.math.internal;

import io.rlvr4j.api.RewardFunction;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code math} reward function: the final answer of a response against the problem's reference
 * answer (see {@link MathVerifier}; the equivalence rules are in {@code docs/math-verifier.md}).
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code scheme}: {@code binary} (default: 1 correct, 0 otherwise) or {@code simplerl}
 *       (SimpleRL-Zero: +1 correct, -0.5 wrong, -1 no answer); {@code correct_reward},
 *       {@code wrong_reward}, {@code no_answer_reward} override single values. {@code correct_reward}
 *       must exceed the others.
 *   <li>{@code format}: {@code none} (default) or {@code think} (one {@code <think>…</think>} block
 *       first, the answer after it, as in DeepSeek-R1 and AceReason-Nemotron);
 *       {@code format_error_reward} (default: {@code no_answer_reward}) for a response that breaks it.
 *   <li>{@code multiple_boxes}: {@code join} (default: the boxes closing the response are one answer,
 *       a list when they differ), {@code last}, {@code first}, {@code all_agree} or {@code reject}:
 *       which {@code \boxed{}} counts when a response has several.
 *   <li>{@code extract}: the places an answer is looked for, in this order ({@code [boxed,
 *       answer_phrase, gsm8k, math_span, bare]} by default; {@code last_number} may be added).
 *   <li>{@code tolerance} (1e-6): the relative difference allowed between numbers where a decimal
 *       literal appears; a problem's {@code metadata.tolerance} overrides it.
 *   <li>{@code time_limit_ms} (1000): the most one comparison may take; over it, the answer is wrong.
 *   <li>{@code inline_ms} (2): how long a comparison that needs parsing may run on the caller's thread
 *       before it moves to a worker under the hard limit (see {@link Deadline}); 0 sends every such
 *       comparison to a worker.
 *   <li>{@code domains} ({@code [math]}): the problem domains this verifier judges.
 * </ul>
 */
public final class MathRewardFunction implements RewardFunction {

    /** One worker pool for every verifier of the process: comparisons are short, and idle workers exit. */
    private static final TimeLimiter LIMITER = new TimeLimiter();

    private enum Preset {
        BINARY, SIMPLERL
    }

    @Override
    public String name() {
        return "math";
    }

    @Override
    public String description() {
        return "math final answers: \\boxed{}, 'the answer is', ####, choices; numbers, LaTeX expressions, sets, intervals, "
                + "matrices, equations compared exactly or symbolically";
    }

    @Override
    public Verifier create(Settings settings) {
        RewardScheme preset = switch (settings.choice("scheme", Preset.class, Preset.BINARY)) {
            case BINARY -> RewardScheme.binary();
            case SIMPLERL -> RewardScheme.simpleRl();
        };
        double correct = settings.finiteNumber("correct_reward", preset.correct());
        double wrong = settings.finiteNumber("wrong_reward", preset.wrong());
        double noAnswer = settings.finiteNumber("no_answer_reward", preset.noAnswer());
        if (!(correct > wrong && correct > noAnswer)) {
            throw settings.invalid("correct_reward", "must be greater than wrong_reward (" + wrong + ") and no_answer_reward ("
                    + noAnswer + "), or training would move away from correct answers");
        }
        RewardScheme.Format format = settings.choice("format", RewardScheme.Format.class, RewardScheme.Format.NONE);
        double formatError = settings.finiteNumber("format_error_reward", noAnswer);
        if (formatError >= correct) throw settings.invalid("format_error_reward", "must be less than correct_reward (" + correct + ")");
        FinalAnswerExtractor.MultipleBoxes boxes = settings.choice("multiple_boxes", FinalAnswerExtractor.MultipleBoxes.class,
                FinalAnswerExtractor.MultipleBoxes.JOIN);
        Set<FinalAnswerExtractor.Layer> layers = EnumSet.noneOf(FinalAnswerExtractor.Layer.class);
        List<String> layerNames = settings.strings("extract",
                FinalAnswerExtractor.Layer.DEFAULT.stream().map(l -> l.name().toLowerCase(Locale.ROOT)).toList());
        for (String name : layerNames) {
            try {
                layers.add(FinalAnswerExtractor.Layer.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw settings.invalid("extract", "unknown layer '" + name + "'; the layers are boxed, answer_phrase, gsm8k, "
                        + "math_span, bare, last_number");
            }
        }
        if (layers.isEmpty()) throw settings.invalid("extract", "must name at least one layer, e.g. [boxed]");
        double tolerance = settings.finiteNumber("tolerance", Equivalence.DEFAULT_TOLERANCE);
        if (!(tolerance >= 0 && tolerance < 1)) throw settings.invalid("tolerance", "must be in [0, 1), e.g. 1e-6");
        int millis = settings.integer("time_limit_ms", 1000);
        if (millis < 1 || millis > 600_000) throw settings.invalid("time_limit_ms", "must be in [1, 600000]");
        double inline = settings.number("inline_ms", 2.0);
        if (!(inline >= 0 && inline <= millis)) throw settings.invalid("inline_ms", "must be in [0, time_limit_ms (" + millis + ")]");
        List<String> domainList = settings.strings("domains", List.of("math"));
        if (domainList.isEmpty() || domainList.stream().anyMatch(String::isBlank)) {
            throw settings.invalid("domains", "must list at least one non-blank domain, e.g. [math]");
        }
        Set<String> domains = new LinkedHashSet<>(domainList);
        return new MathVerifier(new FinalAnswerExtractor(boxes, layers), tolerance, new RewardScheme(correct, wrong, noAnswer, format, formatError),
                domains, Duration.ofMillis(millis), Duration.ofNanos((long) (inline * 1e6)), LIMITER);
    }
}
