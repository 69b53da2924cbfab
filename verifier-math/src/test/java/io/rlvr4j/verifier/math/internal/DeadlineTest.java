package io.rlvr4j.verifier.math.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.Problem;
import io.rlvr4j.api.RewardResult;
import io.rlvr4j.api.Verifier;
import io.rlvr4j.api.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The cooperative deadline, and the inline slice built on it: same verdicts, bounded time. */
class DeadlineTest {

    @Test
    void workPastItsDeadlineEndsAndGivesNothing() {
        long t0 = System.nanoTime();
        Optional<Integer> r = Deadline.attempt(Duration.ofMillis(5), () -> {
            while (true) Deadline.check();
        });
        assertThat(r).isEmpty();
        assertThat((System.nanoTime() - t0) / 1e6).as("ms").isLessThan(500);
        assertThat(Deadline.attempt(Duration.ofMillis(5), () -> 42)).hasValue(42);
    }

    @Test
    void outsideAnAttemptChecksNeverEndTheWork() {
        Deadline.attempt(Duration.ZERO, () -> 1);
        Deadline.check(); // the deadline of the finished attempt is gone
    }

    @Test
    void aSymbolicComparisonStopsAtItsDeadline() {
        Equivalence eq = new Equivalence();
        String big = String.join("+", java.util.Collections.nCopies(60, "\\sin(x)\\cos(y)"));
        assertThat(Deadline.attempt(Duration.ofNanos(1_000), () -> eq.compare(big, big + "+0"))).isEmpty();
        assertThat(Deadline.attempt(Duration.ofSeconds(30), () -> eq.compare(big, big + "+0")).map(Equivalence.Verdict::equal))
                .hasValue(true);
    }

    /**
     * In a cold JVM the first comparison also initialises the verifier's classes, inside the inline
     * slice: no static initialiser may run code that checks the deadline, or the class would fail to
     * initialise and stay broken. Fresh copies of every class, in their own class loader, are
     * initialised here under a deadline that has already passed. (The parent is the boot loader: the
     * platform loader would hand the module's packages back to the copies the tests run on.)
     */
    @Test
    @SuppressWarnings("unchecked")
    void noClassInitialisationChecksTheDeadline() throws Exception {
        Path classes = Path.of(MathRewardFunction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Assumptions.assumeTrue(Files.isDirectory(classes), "the module's classes are in a directory");
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().equals("module-info.class"))
                    .map(f -> classes.relativize(f).toString().replace(java.io.File.separatorChar, '.').replaceAll("\\.class$", ""))
                    .sorted().toList();
        }
        assertThat(names).contains(PreciseCheck.class.getName(), BigMath.class.getName());
        java.net.URL[] jars = {classes.toUri().toURL(), Problem.class.getProtectionDomain().getCodeSource().getLocation()};
        try (java.net.URLClassLoader fresh = new java.net.URLClassLoader(jars, null)) {
            java.lang.reflect.Method attempt = fresh.loadClass(Deadline.class.getName())
                    .getDeclaredMethod("attempt", Duration.class, Supplier.class);
            attempt.setAccessible(true);
            for (String name : names) {
                Supplier<String> init = () -> {
                    try {
                        return Class.forName(name, true, fresh).getName();
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException(e);
                    }
                };
                assertThat((Optional<Object>) attempt.invoke(null, Duration.ZERO, init)).as(name).hasValue(name);
            }
        }
    }

    @Test
    void verdictsAreTheSameInlineAndOnAWorker() throws Exception {
        Verifier inline = new MathRewardFunction().create(Settings.of(Map.of()));
        Verifier worker = new MathRewardFunction().create(Settings.of(Map.of("inline_ms", 0)));
        Verifier cutShort = new MathRewardFunction().create(Settings.of(Map.of("inline_ms", 0.001)));
        List<EquivalenceTableTest.Case> cases = EquivalenceTableTest.cases();
        for (EquivalenceTableTest.Case c : cases) {
            Problem p = Problem.of("line-" + c.line(), "math", "q", c.gold());
            String response = "\\boxed{" + c.pred() + "}";
            RewardResult a = inline.score(p, response);
            RewardResult b = worker.score(p, response);
            RewardResult d = cutShort.score(p, response);
            assertThat(List.of(b.outcome(), d.outcome())).as("line %d: %s vs %s", c.line(), c.gold(), c.pred())
                    .containsOnly(a.outcome());
            assertThat(List.of(b.details().get("layer"), d.details().get("layer"))).as("line %d", c.line())
                    .containsOnly(a.details().get("layer"));
        }
    }
}
