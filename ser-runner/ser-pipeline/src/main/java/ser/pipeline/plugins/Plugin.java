package ser.pipeline.plugins;

/**
 * A discovered provider and where it came from.
 *
 * @param name     the provider's name
 * @param provider the stateless factory
 * @param origin   {@code classpath} or the plugin jar's file name
 */
public record Plugin<T>(String name, T provider, String origin) {
}
