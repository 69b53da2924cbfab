package io.rlvr4j.backend.hf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Writes files so that a crash never leaves a half-written one: the content goes to a temporary
 * file in the same directory, is forced to disk, and is then moved over the target (atomically where
 * the file system allows it). A new file gets the mode of any file the process creates (the umask's,
 * not a temporary file's {@code rw-------}), or the mode it is given; a copy keeps its source's.
 */
public final class AtomicFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Body {
        void write(FileChannel channel) throws IOException;
    }

    /** Writes {@code file} with {@code body}. */
    public static void write(Path file, Body body) {
        write(file, body, null);
    }

    /** Writes {@code file} with {@code body}, with POSIX permissions {@code mode} (null: the process's default). */
    public static void write(Path file, Body body, Set<PosixFilePermission> mode) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // not Files.createTempFile, whose files are rw------- whatever the umask
            tmp = dir.resolve("." + file.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                body.write(ch);
                ch.force(true);
            }
            if (mode != null && Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, mode);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is left behind; the target is untouched
                }
            }
        }
    }

    /** Writes {@code text} as UTF-8 to {@code file}. */
    public static void writeString(Path file, String text) {
        writeString(file, text, null);
    }

    /** Writes {@code text} as UTF-8 to {@code file}, with POSIX permissions {@code mode} (null: the process's default). */
    public static void writeString(Path file, String text, Set<PosixFilePermission> mode) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(file, ch -> {
            var b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
        }, mode);
    }

    /** {@return the POSIX permissions of {@code file}}, or null where it has none (missing, or not a POSIX file system) */
    public static Set<PosixFilePermission> mode(Path file) {
        try {
            return Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class) ? Files.getPosixFilePermissions(file) : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Copies {@code source} to {@code target} with its permissions, replacing it atomically. */
    public static void copy(Path source, Path target) {
        try {
            byte[] bytes = Files.readAllBytes(source);
            write(target, ch -> {
                var b = java.nio.ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) ch.write(b);
            }, mode(source));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
    }
}
