package io.rlvr4j.backend.hf;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.rlvr4j.api.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header naming
 * each tensor's {@code dtype}, {@code shape} and {@code data_offsets}, then the raw little-endian data.
 *
 * <p>Reading uses positional {@link FileChannel} reads, so files and shards of any size work. F32,
 * F16, BF16 and F64 are read and converted to float32 in Java (the CPU build of PyTorch aborts the
 * JVM on BF16 arrays). A tensor whose float32 values do not fit one buffer (2 GB: a 7B model's
 * embedding) is delivered in consecutive parts of whole rows ({@link TensorSink#acceptRows}), never
 * through one Java array or buffer. Headers are read and checked on their own first
 * ({@link #checkpointTensors}), so a missing shard or a truncated header is found before any tensor
 * is read.
 *
 * <p>Writing takes float32 values and stores them as F32, BF16 (rounded to nearest even, as PyTorch's
 * {@code .to(torch.bfloat16)}) or F16, in one file or in shards with {@value #INDEX_FILE} as
 * {@code transformers}' {@code save_pretrained} lays them out ({@link #writeCheckpoint}).
 */
public final class Safetensors {

    /** The single-file checkpoint name. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** The index of a sharded checkpoint. */
    public static final String INDEX_FILE = "model.safetensors.index.json";
    /** {@code transformers}' default {@code max_shard_size}, "5GB" (decimal, as {@code huggingface_hub} parses it). */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;
    /** The dtypes written. */
    public static final List<String> WRITTEN_DTYPES = List.of("F32", "BF16", "F16");

    private static final Pattern SHARD_NAME = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");
    /** The largest float32 buffer handed to a sink in one piece by default (a power of two below 2 GB). */
    public static final long MAX_BUFFER_BYTES = 1L << 30;

    private Safetensors() {
    }

    /** Receives each tensor read, as float32 values. */
    public interface TensorSink {
        /**
         * A tensor whose float32 values fit one buffer.
         *
         * @param name the tensor's name
         * @param shape its dimensions
         * @param data {@code product(shape)} float32 values in a direct buffer of native byte order,
         *     positioned at 0, valid during the call only (its memory is freed when the call returns, not
         *     left to the garbage collector): copy what you keep
         */
        void accept(String name, long[] shape, ByteBuffer data);

        /**
         * Consecutive whole rows (along dimension 0) of a tensor too large for one buffer, in order:
         * the first call has {@code firstRow} 0, the last ends at {@code shape[0]}.
         *
         * @param data the rows' float32 values, native byte order, positioned at 0, valid during the call only
         * @throws IllegalArgumentException by default: a sink that cannot take tensors over 2 GB says so
         */
        default void acceptRows(String name, long[] shape, long firstRow, ByteBuffer data) {
            throw new IllegalArgumentException("tensor " + name + " " + Arrays.toString(shape) + " is too large as float32 for this engine to take in one piece");
        }
    }

    /** A tensor of a safetensors file, as its header describes it. */
    public record TensorInfo(Path file, String dtype, long[] shape, long begin, long end) {

        /** {@return the number of values} */
        public long count() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    /**
     * Float32 values of a tensor to write, read on demand in whole rows, so that a tensor of any size
     * is written without one buffer of its own.
     */
    @FunctionalInterface
    public interface Rows {
        /** {@return rows {@code [from, to)} (along dimension 0) as float32 values in native byte order} */
        ByteBuffer read(long from, long to);
    }

    /** A tensor to write: float32 values by rows. */
    public record Source(String name, long[] shape, Rows rows) {

        /** {@return a tensor whose values are all in {@code data}} (float32, native order) */
        public static Source of(String name, long[] shape, ByteBuffer data) {
            long rowBytes = rowValues(shape) * 4;
            return new Source(name, shape, (from, to) -> data.duplicate().order(ByteOrder.nativeOrder())
                    .position(Math.toIntExact(from * rowBytes)).limit(Math.toIntExact(to * rowBytes)).slice().order(ByteOrder.nativeOrder()));
        }

        long count() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    /** {@return whether {@code modelDir} holds weights: {@value #SINGLE_FILE} or {@value #INDEX_FILE}} */
    public static boolean isCheckpoint(Path modelDir) {
        return Files.isRegularFile(modelDir.resolve(SINGLE_FILE)) || Files.isRegularFile(modelDir.resolve(INDEX_FILE));
    }

    /**
     * Reads and checks the headers of the checkpoint in {@code modelDir} ({@value #SINGLE_FILE}, or
     * the shards {@value #INDEX_FILE} lists), without reading any tensor.
     *
     * @return every tensor, by name, in file order
     * @throws ConfigException when neither file exists, a listed shard is missing, a header is
     *     malformed, or the index names a tensor its shard does not hold
     */
    public static Map<String, TensorInfo> checkpointTensors(Path modelDir) {
        Path single = modelDir.resolve(SINGLE_FILE);
        Path index = modelDir.resolve(INDEX_FILE);
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        if (Files.isRegularFile(single)) {
            out.putAll(header(single));
        } else if (Files.isRegularFile(index)) {
            JsonObject o = JsonFiles.readObject(index);
            if (!o.has("weight_map") || !o.get("weight_map").isJsonObject()) {
                throw JsonFiles.missing(index, "weight_map", "an object from tensor names to shard files");
            }
            Map<String, Set<String>> shards = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("weight_map").entrySet()) {
                if (!e.getValue().isJsonPrimitive()) throw JsonFiles.invalid(index, "weight_map." + e.getKey(), e.getValue().toString(), "expected a shard file name");
                shards.computeIfAbsent(e.getValue().getAsString(), k -> new LinkedHashSet<>()).add(e.getKey());
            }
            for (Map.Entry<String, Set<String>> shard : shards.entrySet()) {
                Path file = modelDir.resolve(shard.getKey()).normalize();
                if (!file.startsWith(modelDir.normalize())) {
                    throw new ConfigException("", index + ": weight_map names shard " + shard.getKey() + ", which is outside the model directory");
                }
                if (!Files.isRegularFile(file)) {
                    throw new ConfigException("", index + ": weight_map lists shard " + shard.getKey() + " (for "
                            + shard.getValue().iterator().next() + " and " + (shard.getValue().size() - 1) + " other tensors), which is missing");
                }
                Map<String, TensorInfo> tensors = header(file);
                for (String name : shard.getValue()) {
                    if (!tensors.containsKey(name)) {
                        throw new ConfigException("", index + ": weight_map." + name + " says " + shard.getKey() + ", which has no such tensor");
                    }
                }
                out.putAll(tensors);
            }
        } else {
            throw new ConfigException("", modelDir + " has no weights: expected " + SINGLE_FILE + " or " + INDEX_FILE
                    + " (or open the policy with init RANDOM)");
        }
        return out;
    }

    /**
     * Reads every tensor of the checkpoint in {@code modelDir}: {@value #SINGLE_FILE}, or the shards
     * listed by {@value #INDEX_FILE}. All headers are checked before the first tensor is read.
     *
     * @throws ConfigException when neither exists or a file is malformed
     */
    public static void readCheckpoint(Path modelDir, TensorSink sink) {
        read(checkpointTensors(modelDir), sink);
    }

    /** Reads every tensor of one safetensors file. */
    public static void read(Path file, TensorSink sink) {
        read(header(file), sink);
    }

    /** Reads the tensors {@code tensors} (as {@link #checkpointTensors} gives them), in their order. */
    public static void read(Map<String, TensorInfo> tensors, TensorSink sink) {
        read(tensors, sink, MAX_BUFFER_BYTES);
    }

    /**
     * Reads the tensors {@code tensors} in their order, those over {@code maxBufferBytes} as float32 in
     * parts of whole rows ({@link TensorSink#acceptRows}).
     */
    public static void read(Map<String, TensorInfo> tensors, TensorSink sink, long maxBufferBytes) {
        Map<Path, FileChannel> open = new HashMap<>();
        try {
            for (Map.Entry<String, TensorInfo> e : tensors.entrySet()) {
                TensorInfo t = e.getValue();
                FileChannel ch = open.get(t.file());
                if (ch == null) {
                    ch = FileChannel.open(t.file(), StandardOpenOption.READ);
                    open.put(t.file(), ch);
                }
                long count = t.count();
                int width = width(t.dtype());
                if (count * 4 <= maxBufferBytes) {
                    try (Arena staging = Arena.ofConfined()) {
                        sink.accept(e.getKey(), t.shape(), readAsFloat32(staging, ch, t.file(), t.begin(), Math.toIntExact(count), t.dtype(), width));
                    }
                    continue;
                }
                long rowValues = rowValues(t.shape());
                long rowsPerPart = Math.max(1, maxBufferBytes / (rowValues * 4));
                if (t.shape().length < 2 || rowValues * 4 > maxBufferBytes) {
                    throw malformed(t.file(), "tensor " + e.getKey() + " " + Arrays.toString(t.shape()) + " has rows over "
                            + maxBufferBytes / (1 << 20) + " MiB as float32, which rlvr4j does not read");
                }
                for (long row = 0; row < t.shape()[0]; row += rowsPerPart) {
                    long n = Math.min(rowsPerPart, t.shape()[0] - row);
                    try (Arena staging = Arena.ofConfined()) {
                        sink.acceptRows(e.getKey(), t.shape(), row, readAsFloat32(staging, ch, t.file(), t.begin() + row * rowValues * width,
                                Math.toIntExact(n * rowValues), t.dtype(), width));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + e.getMessage(), e);
        } finally {
            for (FileChannel ch : open.values()) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
        }
    }

    /**
     * Reads and checks the header of one safetensors file.
     *
     * @return its tensors by name, in the order of their data
     * @throws ConfigException naming the file and what is wrong: a length that does not fit the file
     *     (a truncated file), a header that is not JSON, an unknown dtype, offsets outside the data
     */
    public static Map<String, TensorInfo> header(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw malformed(file, "the file has " + size + " bytes, fewer than the 8 of the header length");
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file);
            long headerLength = len.getLong(0);
            if (headerLength <= 0 || headerLength > 100_000_000 || 8 + headerLength > size) {
                throw malformed(file, "header length " + headerLength + " does not fit a file of " + size + " bytes (truncated?)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(ch, header, 8, file);
            JsonObject h;
            try {
                h = JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                throw malformed(file, "the header is not a JSON object: " + e.getMessage());
            }
            long dataStart = 8 + headerLength;
            List<Map.Entry<String, TensorInfo>> tensors = new ArrayList<>();
            for (Map.Entry<String, JsonElement> e : h.entrySet()) {
                if (e.getKey().equals("__metadata__")) continue;
                String name = e.getKey();
                try {
                    JsonObject t = e.getValue().getAsJsonObject();
                    String dtype = t.get("dtype").getAsString();
                    JsonArray shapeJson = t.getAsJsonArray("shape");
                    long[] shape = new long[shapeJson.size()];
                    long count = 1;
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = shapeJson.get(i).getAsLong();
                        if (shape[i] < 0) throw malformed(file, "tensor " + name + " has a negative dimension in shape " + shapeJson);
                        count *= shape[i];
                    }
                    JsonArray offsets = t.getAsJsonArray("data_offsets");
                    long begin = offsets.get(0).getAsLong();
                    long end = offsets.get(1).getAsLong();
                    int width = switch (dtype) {
                        case "F32", "F16", "BF16", "F64" -> width(dtype);
                        default -> throw malformed(file, "tensor " + name + " has dtype " + dtype + "; only F32, F16, BF16 and F64 are supported");
                    };
                    if (begin < 0 || end - begin != count * width || dataStart + end > size) {
                        throw malformed(file, "tensor " + name + " has data_offsets [" + begin + ", " + end + ") that do not fit shape "
                                + shapeJson + " of " + dtype + " in a file of " + size + " bytes" + (dataStart + end > size ? " (truncated?)" : ""));
                    }
                    tensors.add(Map.entry(name, new TensorInfo(file, dtype, shape, dataStart + begin, dataStart + end)));
                } catch (RuntimeException bad) {
                    if (bad instanceof ConfigException c) throw c;
                    throw malformed(file, "the header entry of tensor " + name + " is not {dtype, shape, data_offsets}: " + e.getValue());
                }
            }
            tensors.sort(Comparator.comparingLong(t -> t.getValue().begin()));
            Map<String, TensorInfo> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorInfo> t : tensors) out.put(t.getKey(), t.getValue());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static int width(String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "F64" -> 8;
            default -> throw new IllegalArgumentException("unknown dtype " + dtype);
        };
    }

    private static long rowValues(long[] shape) {
        long n = 1;
        for (int i = 1; i < shape.length; i++) n *= shape[i];
        return n;
    }

    private static ByteBuffer readAsFloat32(Arena arena, FileChannel ch, Path file, long position, int count, String dtype, int width)
            throws IOException {
        ByteBuffer out = arena.allocate(4L * count, 64).asByteBuffer().order(ByteOrder.nativeOrder());
        if (dtype.equals("F32") && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            readFully(ch, out, position, file);
            return out.clear();
        }
        // read in chunks and convert
        int chunkValues = 1 << 20;
        ByteBuffer raw = ByteBuffer.allocate(Math.min(count, chunkValues) * width).order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        while (done < count) {
            int n = Math.min(chunkValues, count - done);
            raw.clear().limit(n * width);
            readFully(ch, raw, position + (long) done * width, file);
            raw.flip();
            for (int i = 0; i < n; i++) {
                float v = switch (dtype) {
                    case "F32" -> raw.getFloat();
                    case "F16" -> Float.float16ToFloat(raw.getShort());
                    case "BF16" -> Float.intBitsToFloat((raw.getShort() & 0xffff) << 16);
                    case "F64" -> (float) raw.getDouble();
                    default -> throw new IllegalStateException(dtype);
                };
                out.putFloat(v);
            }
            done += n;
        }
        return out.clear();
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path file) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) throw malformed(file, "unexpected end of file at byte " + pos + " (truncated?)");
            pos += n;
        }
    }

    private static ConfigException malformed(Path file, String why) {
        return new ConfigException("", file + " is not a valid safetensors file: " + why);
    }

    /** {@return float32 {@code f} as bfloat16 bits, rounded to nearest even (NaN as 0x7fc0), as PyTorch rounds} */
    public static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) 0x7fc0;
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /**
     * Writes {@code tensors} as one safetensors file in {@code dtype} ({@link #WRITTEN_DTYPES}), in the
     * order given. The file appears complete or not at all (written to a temporary file beside it,
     * then moved).
     */
    public static void write(Path file, List<Source> tensors, String dtype) {
        write(file, tensors, dtype, null);
    }

    /** As {@link #write(Path, List, String)}, the file with POSIX permissions {@code mode} (null: the process's default). */
    public static void write(Path file, List<Source> tensors, String dtype, Set<PosixFilePermission> mode) {
        if (!WRITTEN_DTYPES.contains(dtype)) throw new IllegalArgumentException("cannot write dtype " + dtype + "; " + WRITTEN_DTYPES);
        int width = width(dtype);
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("format", "pt");
        header.add("__metadata__", meta);
        long offset = 0;
        for (Source s : tensors) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", dtype);
            JsonArray shape = new JsonArray();
            for (long d : s.shape()) shape.add(d);
            t.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += s.count() * width;
            offsets.add(offset);
            t.add("data_offsets", offsets);
            header.add(s.name(), t);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        int kind = WRITTEN_DTYPES.indexOf(dtype); // 0 F32, 1 BF16, 2 F16
        AtomicFiles.write(file, ch -> {
            writeFully(ch, head);
            ByteBuffer out = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
            for (Source s : tensors) {
                long rows = s.shape().length == 0 ? 1 : s.shape()[0];
                long rowValues = rowValues(s.shape());
                long rowsPerRead = Math.max(1, (64L << 20) / Math.max(1, rowValues * 4));
                for (long row = 0; row < rows; row += rowsPerRead) {
                    ByteBuffer data = s.rows().read(row, Math.min(rows, row + rowsPerRead)).duplicate().order(ByteOrder.nativeOrder());
                    while (data.hasRemaining()) {
                        if (out.remaining() < 4) writeFully(ch, out.flip()).clear();
                        float v = data.getFloat();
                        if (kind == 0) out.putFloat(v);
                        else out.putShort(kind == 1 ? toBfloat16(v) : Float.floatToFloat16(v));
                    }
                }
            }
            writeFully(ch, out.flip());
        }, mode);
    }

    /**
     * Writes a checkpoint into {@code dir} as {@code save_pretrained} does: {@value #SINGLE_FILE} when the
     * tensors take at most {@code maxShardBytes} in {@code dtype}, else shards
     * {@code model-00001-of-0000N.safetensors} filled in order (a new shard when the next tensor would
     * pass the limit; a larger tensor alone in one) and {@value #INDEX_FILE} ({@code metadata.total_size},
     * {@code weight_map}). Shards go first and the index last; weight files of an earlier checkpoint in
     * {@code dir} that the new one does not use are deleted.
     *
     * @param mode the POSIX permissions of the files written, or null for the process's default
     * @return the files written, index last
     */
    public static List<Path> writeCheckpoint(Path dir, List<Source> tensors, String dtype, long maxShardBytes, Set<PosixFilePermission> mode) {
        if (maxShardBytes < 1) throw new IllegalArgumentException("max shard size must be positive: " + maxShardBytes);
        int width = width(dtype);
        List<List<Source>> shards = new ArrayList<>();
        long total = 0;
        long current = 0;
        for (Source s : tensors) {
            long bytes = s.count() * width;
            if (shards.isEmpty() || (current > 0 && current + bytes > maxShardBytes)) {
                shards.add(new ArrayList<>());
                current = 0;
            }
            shards.getLast().add(s);
            current += bytes;
            total += bytes;
        }
        List<Path> written = new ArrayList<>();
        Set<String> stale = staleWeightFiles(dir);
        if (shards.size() <= 1) {
            Path file = dir.resolve(SINGLE_FILE);
            write(file, tensors, dtype, mode);
            written.add(file);
            stale.remove(SINGLE_FILE);
        } else {
            JsonObject weightMap = new JsonObject();
            Map<String, String> byName = new TreeMap<>();
            for (int i = 0; i < shards.size(); i++) {
                String name = String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, shards.size());
                write(dir.resolve(name), shards.get(i), dtype, mode);
                written.add(dir.resolve(name));
                stale.remove(name);
                for (Source s : shards.get(i)) byName.put(s.name(), name);
            }
            byName.forEach(weightMap::addProperty);
            JsonObject index = new JsonObject();
            JsonObject metadata = new JsonObject();
            metadata.addProperty("total_size", total);
            index.add("metadata", metadata);
            index.add("weight_map", weightMap);
            // a model.safetensors left beside the index would be read instead of it
            delete(dir.resolve(SINGLE_FILE));
            stale.remove(SINGLE_FILE);
            AtomicFiles.writeString(dir.resolve(INDEX_FILE), new GsonBuilder().setPrettyPrinting().create().toJson(index) + "\n", mode);
            written.add(dir.resolve(INDEX_FILE));
            stale.remove(INDEX_FILE);
        }
        for (String name : stale) delete(dir.resolve(name));
        return written;
    }

    /** The weight files of {@code dir}: the single file, the index and shard-named files. */
    private static Set<String> staleWeightFiles(Path dir) {
        Set<String> out = new LinkedHashSet<>();
        if (!Files.isDirectory(dir)) return out;
        try (var files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.equals(SINGLE_FILE) || n.equals(INDEX_FILE) || SHARD_NAME.matcher(n).matches())
                    .sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        // the index goes first, so a crash part-way leaves no index naming deleted shards
        if (out.remove(INDEX_FILE)) {
            Set<String> ordered = new LinkedHashSet<>();
            ordered.add(INDEX_FILE);
            ordered.addAll(out);
            return ordered;
        }
        return out;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private static ByteBuffer writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
        return b;
    }
}
