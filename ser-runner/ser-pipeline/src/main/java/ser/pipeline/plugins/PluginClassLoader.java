package ser.pipeline.plugins;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

/**
 * One plugin's class loader, shaped like Trino's: its parent is the platform class loader (the
 * JDK only), so the plugin sees none of the application's libraries (Guice, Jackson,
 * {@code ser.pipeline}); an explicit list of shared packages (the SPI, the config library, the
 * logging API) comes from the application loader, so the plugin's providers implement our
 * interfaces and receive our {@code Config} type; everything else is looked up in the plugin's
 * own jars, so a plugin brings its own libraries, in any version.
 */
final class PluginClassLoader extends URLClassLoader {

    /** Packages every plugin shares with the application. */
    static final List<String> SHARED = List.of("ser.api.", "com.typesafe.config.", "org.slf4j.");

    private final String origin;
    private final ClassLoader shared;

    /**
     * @param origin the plugin's name (its jar or folder under plugins/), also this loader's name
     * @param shared the application loader, source of the {@link #SHARED} packages
     */
    PluginClassLoader(String origin, URL[] jars, ClassLoader shared) {
        super("plugin:" + origin, jars, ClassLoader.getPlatformClassLoader());
        this.origin = origin;
        this.shared = shared;
    }

    String origin() {
        return origin;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = SHARED.stream().anyMatch(name::startsWith) ? shared.loadClass(name) : super.loadClass(name, false);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }
}
