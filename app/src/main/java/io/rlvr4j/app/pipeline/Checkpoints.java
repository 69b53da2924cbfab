package io.rlvr4j.app.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rlvr4j.api.Policy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Saves models atomically: everything is written into a hidden temporary directory beside the
 * target, which is then renamed into place, so a crash leaves either the whole checkpoint or none.
 */
public final class Checkpoints {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoints() {}

    /**
     * Saves {@code policy} and {@code state} (written as {@code state.json}) to {@code target}.
     *
     * @throws UncheckedIOException when the checkpoint cannot be written; the target is untouched
     */
    static void save(Policy policy, Map<String, Object> state, Path target) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            policy.save(tmp);
            JSON.writeValue(tmp.resolve("state.json").toFile(), state);
            deleteTree(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target, e);
        }
    }

    /** Deletes all but the newest {@code keep} checkpoints named {@code prefix*} in {@code dir}. */
    static void prune(Path dir, String prefix, int keep) {
        if (keep <= 0 || !Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = new ArrayList<>(s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList());
            for (int i = 0; i < all.size() - keep; i++) deleteTree(all.get(i));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune checkpoints in " + dir, e);
        }
    }

    /** Deletes {@code p} and everything under it (links themselves, not what they point to); nothing if it does not exist. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
