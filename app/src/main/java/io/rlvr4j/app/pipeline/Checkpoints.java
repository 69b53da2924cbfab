package io.rlvr4j.app.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Saves models atomically: everything is written into a hidden temporary directory beside the
 * target, which is then renamed into place, so a crash leaves either the whole checkpoint or none.
 *
 * <p>A training checkpoint ({@link #saveTraining}) is what a run resumes from:
 * <pre>
 *   checkpoints/&lt;stage&gt;-step-000100/
 *     config.json, model.safetensors, tokenizer.json …   the actor, a Hugging Face model directory
 *     critic/, implicit_prm/                             the other trained models, the same way
 *     optimizer/actor/, optimizer/critic/ …              each trained model's optimiser state
 *     state.json                                         stage, step, data cursors, the stage's own state
 *     manifest.json                                      every file's size and CRC-32C, written last
 * </pre>
 * The manifest tells a complete, intact checkpoint from a damaged one ({@link #verify}).
 */
public final class Checkpoints {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String STATE = "state.json";
    static final String MANIFEST = "manifest.json";

    /** A complete training checkpoint: its directory, stage, step and {@code state.json}. */
    record Saved(Path dir, String stage, long step, Map<String, Object> state) {}

    private Checkpoints() {}

    /**
     * Saves {@code policy} and {@code state} (written as {@code state.json}) to {@code target}.
     *
     * @throws UncheckedIOException when the checkpoint cannot be written; the target is untouched
     */
    static void save(Policy policy, Map<String, Object> state, Path target) {
        writeAtomically(target, tmp -> {
            policy.save(tmp);
            JSON.writeValue(tmp.resolve(STATE).toFile(), state);
        });
    }

    /** What fills a checkpoint's temporary directory. */
    @FunctionalInterface
    private interface Contents {
        void writeInto(Path dir) throws IOException;
    }

    /** Writes {@code contents} into a hidden temporary directory beside {@code target}, then renames it into place. */
    private static void writeAtomically(Path target, Contents contents) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            contents.writeInto(tmp);
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

    /**
     * Saves a training checkpoint of {@code trained} (the actor first; each model with its optimiser state)
     * and {@code state} to {@code target}, atomically, the manifest last.
     */
    static void saveTraining(Map<ModelRole, Policy> trained, Map<String, Object> state, Path target, FaultPoints faults) {
        writeAtomically(target, tmp -> {
            for (Map.Entry<ModelRole, Policy> e : trained.entrySet()) {
                String role = e.getKey().configName();
                e.getValue().save(e.getKey() == ModelRole.ACTOR ? tmp : tmp.resolve(role));
                e.getValue().saveTrainingState(tmp.resolve("optimizer").resolve(role));
            }
            JSON.writeValue(tmp.resolve(STATE).toFile(), state);
            faults.reached("checkpoint");
            JSON.writeValue(tmp.resolve(MANIFEST).toFile(), Map.of("files", manifest(tmp)));
        });
    }

    /** {@return every file under {@code dir} but the manifest, by relative path: its size and CRC-32C} */
    private static Map<String, Map<String, Object>> manifest(Path dir) throws IOException {
        Map<String, Map<String, Object>> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(f).toString();
                if (rel.equals(MANIFEST)) continue;
                files.put(rel, Map.of("bytes", Files.size(f), "crc32c", crc(f)));
            }
        }
        return files;
    }

    private static String crc(Path f) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(f)) {
            for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
        }
        return String.format("%08x", crc.getValue());
    }

    /**
     * {@return the newest complete training checkpoint of {@code stage} under {@code dir}, checked against
     * its manifest, or null when there is none} (a checkpoint whose writing was cut off has no manifest
     * and never got its name; it is passed over)
     *
     * @throws IllegalStateException when the newest one is damaged: a file missing, of another size or
     *     other contents than its manifest says, or a {@code state.json} that cannot be read
     */
    static Saved latest(Path dir, String stage) {
        if (!Files.isDirectory(dir)) return null;
        String prefix = stage + "-step-";
        List<Path> all;
        try (Stream<Path> s = Files.list(dir)) {
            all = s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Path c = all.get(i);
            if (!Files.exists(c.resolve(MANIFEST)) && !Files.exists(c.resolve("optimizer"))) continue; // a model-only checkpoint of an older version
            verify(c);
            Map<String, Object> state = readState(c);
            Object step = state.get("step");
            if (!stage.equals(state.get("stage")) || !(step instanceof Number n)) {
                throw new IllegalStateException("checkpoint " + c + " is damaged: its " + STATE + " names stage " + state.get("stage")
                        + " step " + step + "; delete it to resume from the one before");
            }
            return new Saved(c, stage, n.longValue(), state);
        }
        return null;
    }

    /**
     * Checks the files of checkpoint {@code dir} against its manifest.
     *
     * @throws IllegalStateException naming the first file that is missing or differs
     */
    static void verify(Path dir) {
        String delete = "; delete " + dir + " to resume from the checkpoint before it";
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) throw new IllegalStateException("checkpoint " + dir + " is incomplete: it has no " + MANIFEST + delete);
        Map<String, Object> files;
        try {
            Object f = JSON.readValue(manifest.toFile(), Map.class).get("files");
            if (!(f instanceof Map<?, ?> m)) throw new IOException("no files list");
            @SuppressWarnings("unchecked") Map<String, Object> typed = (Map<String, Object>) m;
            files = typed;
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint " + dir + " is damaged: " + MANIFEST + " cannot be read (" + e.getMessage() + ")" + delete);
        }
        for (Map.Entry<String, Object> e : files.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Map<?, ?> expected = (Map<?, ?>) e.getValue();
            try {
                if (!Files.isRegularFile(f)) throw new IllegalStateException("checkpoint " + dir + " is damaged: " + e.getKey() + " is missing" + delete);
                long size = Files.size(f);
                long want = ((Number) expected.get("bytes")).longValue();
                if (size != want) {
                    throw new IllegalStateException("checkpoint " + dir + " is damaged: " + e.getKey() + " is " + size + " bytes, the manifest says "
                            + want + delete);
                }
                if (!crc(f).equals(expected.get("crc32c"))) {
                    throw new IllegalStateException("checkpoint " + dir + " is damaged: the contents of " + e.getKey()
                            + " differ from those it was written with (CRC-32C " + crc(f) + ", the manifest says " + expected.get("crc32c") + ")" + delete);
                }
            } catch (IOException x) {
                throw new UncheckedIOException("cannot read " + f, x);
            }
        }
    }

    /** {@return the {@code state.json} of checkpoint {@code dir}} */
    static Map<String, Object> readState(Path dir) {
        try {
            @SuppressWarnings("unchecked") Map<String, Object> state = JSON.readValue(dir.resolve(STATE).toFile(), Map.class);
            return state;
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint " + dir + " is damaged: " + STATE + " cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Deletes all but the newest {@code keep} checkpoints named {@code prefix*} in {@code dir}. */
    static void prune(Path dir, String prefix, int keep) {
        prune(dir, prefix, keep, null);
    }

    /**
     * Deletes all but the newest {@code keep} checkpoints named {@code prefix*} in {@code dir}, except
     * {@code inUse} (the checkpoint a resumed stage's models were opened from: they copy their
     * tokenizer and configuration files from it whenever they are saved), which is never deleted.
     */
    static void prune(Path dir, String prefix, int keep, Path inUse) {
        if (keep <= 0 || !Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = new ArrayList<>(s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList());
            for (int i = 0; i < all.size() - keep; i++) {
                if (!all.get(i).equals(inUse)) deleteTree(all.get(i));
            }
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
