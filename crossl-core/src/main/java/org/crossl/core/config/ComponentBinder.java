package org.crossl.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.crossl.api.spi.ConfigException;

/**
 * Binds a component's config section to its provider's config type, turning Jackson's and the
 * type's own validation errors into {@link ConfigError}s that name the file and the full key path.
 */
final class ComponentBinder {
    private ComponentBinder() {
    }

    /**
     * @param section the section (its {@code type} key, if any, is ignored)
     * @param path    the section's dotted path, for messages ({@code encoders.acc})
     * @param source  the config's file name, for messages
     */
    public static <C> C bind(ObjectNode section, String path, Class<C> type, String source) {
        ObjectNode body = section.deepCopy();
        body.remove("type");
        try {
            return Json.JSON.treeToValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            Collection<Object> known = e.getKnownPropertyIds();
            String knownList = known == null ? "" : "; known keys: " + new TreeSet<>(known.stream().map(Object::toString).collect(Collectors.toList()));
            String where = keyPath(e);
            String hint = known == null ? "" : Suggestions.didYouMean(String.valueOf(e.getPropertyName()), known);
            throw new ConfigError(source + ": " + path + (where.isEmpty() ? "." + e.getPropertyName() : where) + ": unknown key" + hint + knownList, e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof ConfigException) && cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            if (cause instanceof ConfigException ce) {
                String base = path + keyPath(e);
                String key = ce.key().isEmpty() ? base : base + "." + ce.key();
                throw new ConfigError(source + ": " + key + ": " + ce.reason(), ce);
            }
            throw new ConfigError(source + ": " + path + keyPath(e) + ": " + (cause != null ? cause.getMessage() : e.getOriginalMessage()), e);
        } catch (InvalidFormatException e) {
            throw new ConfigError(source + ": " + path + keyPath(e) + ": cannot use " + e.getValue() + " as " + simple(e.getTargetType()), e);
        } catch (MismatchedInputException e) {
            throw new ConfigError(source + ": " + path + keyPath(e) + ": expected " + simple(e.getTargetType()), e);
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException ce) {
                String key = ce.key().isEmpty() ? path + keyPath(e) : path + "." + ce.key();
                throw new ConfigError(source + ": " + key + ": " + ce.reason(), ce);
            }
            throw new ConfigError(source + ": " + path + keyPath(e) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigError(source + ": " + path + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof ConfigException)) {
                cause = cause.getCause();
            }
            if (cause instanceof ConfigException ce) {
                throw new ConfigError(source + ": " + path + "." + ce.key() + ": " + ce.reason(), ce);
            }
            throw new ConfigError(source + ": " + path + ": " + e.getMessage(), e);
        }
    }

    /** The config object as a tree (defaults filled), for the resolved config. */
    public static ObjectNode unbind(String type, Object config) {
        ObjectNode out = Json.JSON.createObjectNode();
        if (type != null) {
            out.put("type", type);
        }
        JsonNode body = Json.JSON.valueToTree(config);
        if (body != null && body.isObject()) {
            out.setAll((ObjectNode) body);
        }
        return out;
    }

    private static String keyPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String simple(Class<?> c) {
        if (c == null) {
            return "another type";
        }
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class) {
            return "an integer";
        }
        if (c == Double.class || c == double.class || c == Float.class) {
            return "a number";
        }
        if (c == Boolean.class || c == boolean.class) {
            return "true or false";
        }
        if (c == String.class) {
            return "a string";
        }
        if (java.util.List.class.isAssignableFrom(c)) {
            return "a list";
        }
        if (c.isRecord() || !c.isPrimitive()) {
            return "a mapping (" + c.getSimpleName() + ")";
        }
        return c.getSimpleName();
    }
}
