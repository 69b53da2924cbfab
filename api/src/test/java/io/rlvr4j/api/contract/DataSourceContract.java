package io.rlvr4j.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.rlvr4j.api.DataSource;
import io.rlvr4j.api.Problem;
import io.rlvr4j.api.ProblemStream;
import io.rlvr4j.api.config.Settings;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link DataSource} and its {@link ProblemStream}, which every data-source plugin
 * runs by extending this class:
 * <pre>{@code
 * class JsonlContractTest extends DataSourceContract {
 *     protected DataSource source() { return new JsonlDataSource(); }
 *     protected Settings settings() { return Settings.of(Map.of("path", file.toString())); }
 * }
 * }</pre>
 *
 * <p>It checks what training and checkpoints rely on: the stream opens with the given settings and
 * reads every key it was given; it is deterministic; {@link ProblemStream#seek(long)} reproduces the
 * problems that followed a position (so a resumed run sees the same data); positions count the
 * problems returned; ids are non-null and unique within an epoch; every problem has a prompt or chat
 * messages; a finite source repeats its problems epoch after epoch.
 *
 * <p>Shipped in the {@code rlvr4j-api} test-jar.
 */
public abstract class DataSourceContract {

    /** {@return a fresh provider, as ServiceLoader would make it} */
    protected abstract DataSource source();

    /** {@return valid settings for {@link #source()}; called once per {@code open}, so return a new object} */
    protected abstract Settings settings();

    /** {@return how many problems the checks read (at most; a finite source also reads two epochs)} */
    protected int sampleSize() {
        return 40;
    }

    private ProblemStream open() {
        return source().open(settings());
    }

    @Test
    void hasALowerCaseName() {
        assertThat(source().name()).isNotBlank().isEqualTo(source().name().toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void opensAndReadsEveryKeyItIsGiven() {
        Settings s = settings();
        assertThatCode(() -> source().open(s).close()).doesNotThrowAnyException();
        assertThatCode(s::rejectUnknown).as("a key given in settings() was not read by open()").doesNotThrowAnyException();
    }

    @Test
    void startsAtPositionZeroAndCountsTheProblemsReturned() {
        try (ProblemStream stream = open()) {
            assertThat(stream.position()).isZero();
            stream.next();
            assertThat(stream.position()).isEqualTo(1);
            stream.next(5);
            assertThat(stream.position()).isEqualTo(6);
        }
    }

    @Test
    void givesTheSameProblemsEveryTimeItIsOpened() {
        try (ProblemStream a = open(); ProblemStream b = open()) {
            assertThat(b.next(sampleSize())).isEqualTo(a.next(sampleSize()));
        }
    }

    @Test
    void seekReproducesTheProblemsThatFollowedAPosition() {
        try (ProblemStream stream = open()) {
            List<Problem> seen = stream.next(sampleSize());
            for (int p : new int[] {0, 1, sampleSize() / 2, sampleSize() - 1}) {
                stream.seek(p);
                assertThat(stream.position()).isEqualTo(p);
                assertThat(stream.next(sampleSize() - p)).as("problems after seek(%d)", p).isEqualTo(seen.subList(p, sampleSize()));
            }
        }
    }

    @Test
    void seekForwardOnAFreshStreamSkipsAhead() {
        List<Problem> seen;
        try (ProblemStream stream = open()) {
            seen = stream.next(sampleSize());
        }
        try (ProblemStream fresh = open()) {
            fresh.seek(sampleSize() - 3);
            assertThat(fresh.next(3)).isEqualTo(seen.subList(sampleSize() - 3, sampleSize()));
        }
    }

    @Test
    void everyProblemHasAnIdADomainAndAPromptOrMessages() {
        try (ProblemStream stream = open()) {
            for (Problem p : stream.next(sampleSize())) {
                assertThat(p.id()).isNotBlank();
                assertThat(p.domain()).isNotBlank();
                assertThat(p.prompt() != null || !p.messages().isEmpty()).as("problem %s has a prompt or messages", p.id()).isTrue();
            }
        }
    }

    @Test
    void idsAreUniqueWithinAnEpoch() {
        try (ProblemStream stream = open()) {
            OptionalLong size = stream.size();
            int n = (int) Math.min(size.orElse(sampleSize()), 10_000);
            Set<String> ids = new HashSet<>();
            for (Problem p : stream.next(n)) {
                assertThat(ids.add(p.id())).as("id %s repeated within an epoch", p.id()).isTrue();
            }
        }
    }

    @Test
    void aFiniteSourceRepeatsItsProblemsInEpochs() {
        try (ProblemStream stream = open()) {
            OptionalLong size = stream.size();
            if (size.isEmpty()) return;
            assertThat(size.getAsLong()).isPositive();
            if (size.getAsLong() > 10_000) return;
            int n = (int) size.getAsLong();
            Set<Problem> first = new HashSet<>(stream.next(n));
            Set<Problem> second = new HashSet<>(stream.next(n));
            assertThat(first).hasSize(n);
            assertThat(second).isEqualTo(first);
            assertThat(stream.position()).isEqualTo(2L * n);
            stream.next();
        }
    }
}
