package io.rlvr4j.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rlvr4j.api.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML run configurations into a {@link ConfigTree}, remembering the line of every key.
 * Duplicate keys are errors (YAML parsers usually keep the last one silently).
 */
public final class ConfigLoader {

    private static final YAMLFactory YAML = new YAMLFactory();

    private ConfigLoader() {}

    /** {@return the configuration in {@code file}} */
    public static ConfigTree load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Path dir = file.toAbsolutePath().getParent();
            return parse(reader, file.getFileName().toString(), dir);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "Configuration file not found: " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new ConfigException("", "Cannot read " + file + ": " + e.getMessage());
        }
    }

    /** {@return the configuration in the class-path resource {@code name}}, paths relative to the working directory */
    public static ConfigTree loadResource(String name) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String shown = name.substring(name.lastIndexOf('/') + 1);
            return parse(new StringReader(text), "built-in " + shown, Path.of("").toAbsolutePath());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return the text of a class-path resource} (to show the built-in configuration) */
    public static String resourceText(String name) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return a scalar written on the command line ({@code --set key=value}), typed as YAML would type it} */
    public static Object parseScalar(String text) {
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) return "";
            return new Reading(p, "--set", new LinkedHashMap<>()).value("");
        } catch (IOException e) {
            return text;
        }
    }

    static ConfigTree parse(Reader reader, String source, Path baseDir) {
        Map<String, String> locations = new LinkedHashMap<>();
        try (JsonParser p = YAML.createParser(reader)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ConfigException("", source + ": the configuration is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException("", source + ":" + p.currentTokenLocation().getLineNr()
                        + ": expected a mapping of keys (key: value) at the top level");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) new Reading(p, source, locations).value("");
            ConfigTree.expandShorthands(root, locations);
            return new ConfigTree(root, locations, baseDir, source);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String line = at == null ? "" : ":" + at.getLineNr();
            throw new ConfigException("", source + line + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("", source + ": cannot read: " + e.getMessage());
        }
    }

    /** One pass over the parser's tokens, building maps and lists and recording key lines. */
    private record Reading(JsonParser p, String source, Map<String, String> locations) {

        Object value(String path) throws IOException {
            JsonToken t = p.currentToken();
            return switch (t) {
                case START_OBJECT -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        String key = path.isEmpty() ? name : path + "." + name;
                        String at = source + ":" + p.currentTokenLocation().getLineNr();
                        if (map.containsKey(name)) {
                            throw new ConfigException(key, at + ": duplicate key " + key + " (first at " + locations.get(key) + ")");
                        }
                        locations.put(key, at);
                        p.nextToken();
                        map.put(name, value(key));
                    }
                    yield map;
                }
                case START_ARRAY -> {
                    List<Object> list = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        String key = path + "[" + list.size() + "]";
                        locations.put(key, source + ":" + p.currentTokenLocation().getLineNr());
                        list.add(value(key));
                    }
                    yield list;
                }
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT -> p.getNumberValue();
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                default -> throw new ConfigException(path, source + ":" + p.currentTokenLocation().getLineNr()
                        + ": unexpected " + t + " at " + path);
            };
        }
    }
}
