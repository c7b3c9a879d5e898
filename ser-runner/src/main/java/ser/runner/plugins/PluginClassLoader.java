package ser.runner.plugins;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * One plugin jar's class loader, as Trino isolates its plugins: the SPI and the config library
 * come from the application (so the plugin's providers implement our interfaces and see our
 * Config type), everything else is looked up in the plugin jar first, so that a plugin can bring
 * its own versions of libraries.
 */
final class PluginClassLoader extends URLClassLoader {

    private static final List<String> PARENT_FIRST = List.of("java.", "javax.", "jdk.", "sun.", "ser.api.", "com.typesafe.config.");

    private final Path jar;

    PluginClassLoader(Path jar, URL[] urls, ClassLoader parent) {
        super("plugin:" + jar.getFileName(), urls, parent);
        this.jar = jar;
    }

    Path jar() {
        return jar;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                if (PARENT_FIRST.stream().anyMatch(name::startsWith)) {
                    loaded = getParent().loadClass(name);
                } else {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException notInPlugin) {
                        loaded = getParent().loadClass(name);
                    }
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }
}
