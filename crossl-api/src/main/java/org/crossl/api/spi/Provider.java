package org.crossl.api.spi;

/**
 * A named, discoverable factory of one kind of component.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} (declare them with {@code provides}
 * in {@code module-info.java} and in {@code META-INF/services/<interface name>}) and must have a
 * public no-argument constructor. The config section of a component, without its {@code type} key,
 * is bound to {@link #configType()} with Jackson; missing keys arrive as {@code null} and the type
 * fills its defaults and validates itself, throwing {@link ConfigException} naming the bad key.
 *
 * @param <C> the component's config type (a record is ideal)
 */
public interface Provider<C> {

    /** The name used as {@code type:} in configs, lower case, unique within its kind. */
    String name();

    /** The type the config section binds to. */
    Class<C> configType();

    /** One line for {@code crossl plugins}. */
    default String description() {
        return "";
    }
}
