package ser.pipeline.plugins;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import ser.api.CorpusAdapterProvider;
import ser.api.FeatureExtractorProvider;
import ser.api.SequenceModelProvider;
import ser.pipeline.UsageException;

/**
 * Every provider found with {@link ServiceLoader}: on the application class path, then in each
 * plugin of the plugins folder. A plugin is one {@code *.jar} or a folder of jars (a plugin with
 * its own libraries); each gets its own {@link PluginClassLoader}. Every plugin that cannot be
 * used is recorded in {@link #problems()} with its name and the reason (not a jar, empty, no
 * services file, a provider that throws, hangs past the timeout or has no or a duplicate name);
 * the others keep working. A plugin's providers are called with its loader as the thread's
 * context class loader ({@link PluginGuard}).
 */
public final class PluginRegistry {

    /** How long one plugin may take to load its providers before it is skipped. */
    public static final Duration DISCOVERY_TIMEOUT = Duration.ofSeconds(10);

    private static final List<Class<?>> SPIS = List.of(FeatureExtractorProvider.class, SequenceModelProvider.class,
            CorpusAdapterProvider.class);

    private final List<ClassLoader> loaders;
    private final Map<String, Plugin<FeatureExtractorProvider>> extractors;
    private final Map<String, Plugin<SequenceModelProvider>> backends;
    private final Map<String, Plugin<CorpusAdapterProvider>> corpora;
    private final List<String> problems;

    private PluginRegistry(List<ClassLoader> loaders, Map<String, Plugin<FeatureExtractorProvider>> extractors,
            Map<String, Plugin<SequenceModelProvider>> backends, Map<String, Plugin<CorpusAdapterProvider>> corpora,
            List<String> problems) {
        this.loaders = List.copyOf(loaders);
        this.extractors = Collections.unmodifiableMap(extractors);
        this.backends = Collections.unmodifiableMap(backends);
        this.corpora = Collections.unmodifiableMap(corpora);
        this.problems = List.copyOf(problems);
    }

    /** Discovers providers on {@code parent}'s class path and in the plugins of {@code pluginsDir}. */
    public static PluginRegistry discover(ClassLoader parent, Path pluginsDir) {
        return discover(parent, pluginsDir, DISCOVERY_TIMEOUT);
    }

    /** As {@link #discover(ClassLoader, Path)}, skipping a plugin whose providers take longer than {@code timeout}. */
    public static PluginRegistry discover(ClassLoader parent, Path pluginsDir, Duration timeout) {
        List<String> problems = new ArrayList<>();
        List<ClassLoader> loaders = new ArrayList<>();
        loaders.add(parent);
        Found found = new Found();
        found.collect(parent, "classpath", problems);
        for (Unit unit : units(pluginsDir, problems)) {
            PluginClassLoader loader;
            try {
                loader = new PluginClassLoader(unit.name(), unit.urls(), parent);
            } catch (MalformedURLException e) {
                problems.add(unit.name() + ": cannot be loaded: " + e.getMessage());
                continue;
            }
            Found own = new Found();
            List<String> ownProblems = new ArrayList<>();
            FutureTask<Void> task = new FutureTask<>(() -> {
                own.collect(loader, unit.name(), ownProblems);
                return null;
            });
            Thread thread = new Thread(task, "ser-plugin-discovery-" + unit.name());
            thread.setDaemon(true); // a provider that never returns must not keep the JVM alive
            thread.setContextClassLoader(loader);
            thread.start();
            try {
                task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                task.cancel(true);
                problems.add(unit.name() + ": did not finish loading within " + timeout.toSeconds()
                        + " s (a provider hangs); skipped");
                continue;
            } catch (ExecutionException e) {
                problems.add(unit.name() + ": failed to load: " + rootMessage(e.getCause()));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading plugins", e);
            }
            synchronized (own) {
                problems.addAll(ownProblems);
                if (own.count() == 0 && ownProblems.isEmpty()) {
                    problems.add(unit.name() + ": provides nothing (its services files name no provider)");
                }
                found.mergeFrom(own, loader, problems);
            }
            loaders.add(loader);
        }
        return new PluginRegistry(loaders, found.extractors, found.backends, found.corpora, problems);
    }

    /** One plugin: a jar, or a folder of jars. */
    private record Unit(String name, List<Path> jars) {
        URL[] urls() throws MalformedURLException {
            URL[] urls = new URL[jars.size()];
            for (int i = 0; i < urls.length; i++) {
                urls[i] = jars.get(i).toUri().toURL();
            }
            return urls;
        }
    }

    private static List<Unit> units(Path dir, List<String> problems) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            problems.add(dir + ": cannot list plugins folder: " + e.getMessage());
        }
        entries.sort(Comparator.comparing(Path::toString));
        List<Unit> units = new ArrayList<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            List<Path> jars = new ArrayList<>();
            if (Files.isDirectory(entry)) {
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(entry, "*.jar")) {
                    stream.forEach(jars::add);
                } catch (IOException e) {
                    problems.add(name + ": cannot list the plugin's folder: " + e.getMessage());
                    continue;
                }
                if (jars.isEmpty()) {
                    problems.add(name + ": plugin folder holds no .jar file");
                    continue;
                }
                jars.sort(Comparator.comparing(Path::toString));
            } else if (name.endsWith(".jar")) {
                jars.add(entry);
            } else {
                continue; // READMEs and the like
            }
            if (usable(name, jars, problems)) {
                units.add(new Unit(name, jars));
            }
        }
        return units;
    }

    /** Checks each jar opens and that the plugin registers at least one of our SPIs. */
    private static boolean usable(String name, List<Path> jars, List<String> problems) {
        boolean services = false;
        for (Path jar : jars) {
            String where = jar.getFileName().toString().equals(name) ? name : name + "/" + jar.getFileName();
            try {
                if (Files.size(jar) == 0) {
                    problems.add(where + ": empty file, not a jar");
                    return false;
                }
                try (JarFile file = new JarFile(jar.toFile())) {
                    for (Class<?> spi : SPIS) {
                        services |= file.getEntry("META-INF/services/" + spi.getName()) != null;
                    }
                }
            } catch (IOException e) {
                problems.add(where + ": not a jar (zip) file: " + e.getMessage());
                return false;
            }
        }
        if (!services) {
            problems.add(name + ": no META-INF/services file for " + SPIS.stream().map(Class::getSimpleName)
                    .collect(Collectors.joining(", ")) + "; nothing to load");
        }
        return services;
    }

    /** Providers found so far, by kind and name. */
    private static final class Found {
        final Map<String, Plugin<FeatureExtractorProvider>> extractors = new LinkedHashMap<>();
        final Map<String, Plugin<SequenceModelProvider>> backends = new LinkedHashMap<>();
        final Map<String, Plugin<CorpusAdapterProvider>> corpora = new LinkedHashMap<>();

        synchronized void collect(ClassLoader loader, String origin, List<String> problems) {
            PluginRegistry.collect(FeatureExtractorProvider.class, FeatureExtractorProvider::name, loader, origin, extractors,
                    problems);
            PluginRegistry.collect(SequenceModelProvider.class, SequenceModelProvider::name, loader, origin, backends, problems);
            PluginRegistry.collect(CorpusAdapterProvider.class, CorpusAdapterProvider::name, loader, origin, corpora, problems);
        }

        int count() {
            return extractors.size() + backends.size() + corpora.size();
        }

        void mergeFrom(Found other, ClassLoader loader, List<String> problems) {
            merge(FeatureExtractorProvider.class, other.extractors, extractors, loader, problems);
            merge(SequenceModelProvider.class, other.backends, backends, loader, problems);
            merge(CorpusAdapterProvider.class, other.corpora, corpora, loader, problems);
        }

        private static <T> void merge(Class<T> type, Map<String, Plugin<T>> from, Map<String, Plugin<T>> into,
                ClassLoader loader, List<String> problems) {
            for (Plugin<T> p : from.values()) {
                Plugin<T> guarded = new Plugin<>(p.name(), PluginGuard.contextual(type, p.provider(), loader), p.origin());
                Plugin<T> previous = into.putIfAbsent(p.name(), guarded);
                if (previous != null) {
                    problems.add(p.origin() + ": " + type.getSimpleName() + " '" + p.name() + "' ignored, already provided by "
                            + previous.origin());
                }
            }
        }
    }

    private static <T> void collect(Class<T> type, Function<T, String> nameOf, ClassLoader loader, String origin,
            Map<String, Plugin<T>> found, List<String> problems) {
        var iterator = ServiceLoader.load(type, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<T> candidate;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                candidate = iterator.next();
            } catch (ServiceConfigurationError e) {
                problems.add(origin + ": " + rootMessage(e));
                continue;
            }
            try {
                T provider = candidate.get();
                String name = nameOf.apply(provider);
                if (name == null || name.isBlank()) {
                    problems.add(origin + ": " + candidate.type().getName() + " has no name (name() returned "
                            + (name == null ? "null" : "'" + name + "'") + "); ignored");
                    continue;
                }
                Plugin<T> previous = found.putIfAbsent(name, new Plugin<>(name, provider, origin));
                if (previous != null) {
                    problems.add(origin + ": " + type.getSimpleName() + " '" + name + "' ignored, already provided by "
                            + previous.origin());
                }
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                problems.add(origin + ": " + candidate.type().getName() + " failed to load: " + rootMessage(e));
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Class loaders whose {@code reference.conf} files hold the defaults. */
    public List<ClassLoader> loaders() {
        return loaders;
    }

    public Map<String, Plugin<FeatureExtractorProvider>> extractors() {
        return extractors;
    }

    public Map<String, Plugin<SequenceModelProvider>> backends() {
        return backends;
    }

    public Map<String, Plugin<CorpusAdapterProvider>> corpora() {
        return corpora;
    }

    /** What failed to load, one line each, naming the plugin. */
    public List<String> problems() {
        return problems;
    }

    public FeatureExtractorProvider extractor(String name) {
        return find(extractors, name, "extractor", "ser.extract.extractors").provider();
    }

    public SequenceModelProvider backend(String name) {
        return find(backends, name, "backend", "ser.train.backend").provider();
    }

    private static <T> Plugin<T> find(Map<String, Plugin<T>> plugins, String name, String kind, String key) {
        Plugin<T> plugin = plugins.get(name);
        if (plugin == null) {
            String known = plugins.keySet().stream().sorted().collect(Collectors.joining(", "));
            throw new UsageException(key + ": unknown " + kind + " '" + name + "' (known: " + known + ")");
        }
        return plugin;
    }
}
