package io.rlvr4j.backend.hf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.rlvr4j.api.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading the JSON files of a Hugging Face model directory, with errors that name the file and key. */
public final class JsonFiles {

    private JsonFiles() {
    }

    /** {@return the JSON object in {@code file}} @throws ConfigException when it is missing or not a JSON object */
    public static JsonObject readObject(Path file) {
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) throw new ConfigException("", file + ": expected a JSON object");
            return e.getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new ConfigException("", file + " is missing: a Hugging Face model directory needs it");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (JsonParseException e) {
            throw new ConfigException("", file + " is not valid JSON: " + e.getMessage());
        }
    }

    /** {@return the object in {@code file}, or {@code null} when the file does not exist} */
    public static JsonObject readOptional(Path file) {
        return Files.isRegularFile(file) ? readObject(file) : null;
    }

    public static String string(JsonObject o, String key, String defaultValue) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? defaultValue : e.getAsString();
    }

    public static int integer(JsonObject o, String key, int defaultValue) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? defaultValue : e.getAsInt();
    }

    public static double number(JsonObject o, String key, double defaultValue) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? defaultValue : e.getAsDouble();
    }

    public static boolean bool(JsonObject o, String key, boolean defaultValue) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? defaultValue : e.getAsBoolean();
    }

    public static ConfigException missing(Path file, String key, String what) {
        return new ConfigException("", file + ": missing key \"" + key + "\": expected " + what);
    }

    /** {@return an error about a key's value}: {@code FILE: key = value — rule} */
    public static ConfigException invalid(Path file, String key, String value, String rule) {
        return new ConfigException("", file + ": " + key + " = " + value + " — " + rule);
    }
}
