package ser.runner.plugins;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import ser.api.CorpusAdapterProvider;
import ser.api.FeatureExtractorProvider;
import ser.api.SequenceModelProvider;
import ser.runner.UsageException;

/**
 * Every provider found with {@link ServiceLoader}: on the application class path, then in each
 * {@code *.jar} of the plugins folder, each jar in its own {@link PluginClassLoader}. A jar or
 * provider that fails to load is recorded in {@link #problems()} with the jar's name; the others
 * keep working.
 */
public final class PluginRegistry {

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

    /** Discovers providers on {@code parent}'s class path and in the jars of {@code pluginsDir}. */
    public static PluginRegistry discover(ClassLoader parent, Path pluginsDir) {
        List<String> problems = new ArrayList<>();
        List<ClassLoader> loaders = new ArrayList<>();
        loaders.add(parent);
        List<Path> jars = pluginJars(pluginsDir, problems);
        for (Path jar : jars) {
            try {
                loaders.add(new PluginClassLoader(jar, new URL[] {jar.toUri().toURL()}, parent));
            } catch (MalformedURLException e) {
                problems.add(jar.getFileName() + ": cannot be loaded: " + e.getMessage());
            }
        }
        var extractors = collect(FeatureExtractorProvider.class, FeatureExtractorProvider::name, loaders, problems);
        var backends = collect(SequenceModelProvider.class, SequenceModelProvider::name, loaders, problems);
        var corpora = collect(CorpusAdapterProvider.class, CorpusAdapterProvider::name, loaders, problems);
        return new PluginRegistry(loaders, extractors, backends, corpora, problems);
    }

    private static List<Path> pluginJars(Path dir, List<String> problems) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.jar")) {
            stream.forEach(jars::add);
        } catch (IOException e) {
            problems.add(dir + ": cannot list plugins folder: " + e.getMessage());
        }
        jars.sort(Comparator.comparing(Path::toString));
        return jars;
    }

    private static <T> Map<String, Plugin<T>> collect(Class<T> type, Function<T, String> nameOf, List<ClassLoader> loaders,
            List<String> problems) {
        Map<String, Plugin<T>> found = new LinkedHashMap<>();
        for (ClassLoader loader : loaders) {
            String origin = loader instanceof PluginClassLoader p ? p.jar().getFileName().toString() : "classpath";
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
                // A plugin loader also sees the class path's providers: count each where it lives.
                if (candidate.type().getClassLoader() != loader && loader != loaders.get(0)) {
                    continue;
                }
                try {
                    T provider = candidate.get();
                    String name = nameOf.apply(provider);
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
        return found;
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

    /** What failed to load, one line each, naming the jar. */
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
