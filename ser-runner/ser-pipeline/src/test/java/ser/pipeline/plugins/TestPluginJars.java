package ser.pipeline.plugins;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a third-party plugin jar at test time, from source, against only ser-api and the config
 * library: the same as an outside developer would, with no change to our code.
 */
public final class TestPluginJars {

    private TestPluginJars() {
    }

    /**
     * Compiles {@code sources} (class name → Java source), and writes a jar with the classes,
     * the given service registrations (interface → implementation) and extra resources.
     */
    public static Path build(Path workDir, String jarName, Map<String, String> sources, Map<String, String> services,
            Map<String, String> resources) throws IOException {
        return build(workDir, jarName, sources, services, resources, List.of());
    }

    /** As above, compiling also against {@code libraries} (jars the plugin brings along). */
    public static Path build(Path workDir, String jarName, Map<String, String> sources, Map<String, String> services,
            Map<String, String> resources, List<Path> libraries) throws IOException {
        Path src = Files.createDirectories(workDir.resolve(jarName + "-src"));
        Path classes = Files.createDirectories(workDir.resolve(jarName + "-classes"));
        List<String> files = new java.util.ArrayList<>();
        for (var source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new java.util.ArrayList<>(List.of("--release", "17", "-d", classes.toString(),
                "-cp", apiClassPath() + libraries.stream().map(l -> java.io.File.pathSeparator + l).collect(
                        java.util.stream.Collectors.joining())));
        args.addAll(files);
        int rc = javac.run(null, null, null, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("plugin source did not compile");
        }
        Path jar = workDir.resolve(jarName);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out)) {
            try (var walk = Files.walk(classes)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    jos.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                    jos.write(Files.readAllBytes(p));
                    jos.closeEntry();
                }
            }
            for (var service : services.entrySet()) {
                jos.putNextEntry(new JarEntry("META-INF/services/" + service.getKey()));
                jos.write((service.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
                jos.closeEntry();
            }
            for (var resource : resources.entrySet()) {
                jos.putNextEntry(new JarEntry(resource.getKey()));
                jos.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
                jos.closeEntry();
            }
        }
        return jar;
    }

    /** ser-api and the config library: all a plugin compiles against (Surefire hides java.class.path). */
    private static String apiClassPath() {
        return java.util.stream.Stream.of(ser.api.FeatureExtractorProvider.class, com.typesafe.config.Config.class)
                .map(c -> {
                    try {
                        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** A third-party extractor "zcr-count": per frame, the number of sign changes; configurable scale. */
    public static Path zeroCrossingExtractorJar(Path workDir, Path pluginsDir) throws IOException {
        String provider = """
                package com.example.ser;

                import java.util.List;
                import java.util.Map;
                import ser.api.*;

                public final class ZeroCrossingProvider implements FeatureExtractorProvider {
                    public String name() { return "zcr-count"; }
                    public String description() { return "sign changes per frame (example third-party plugin)"; }
                    public FeatureExtractor create(ExtractorContext context) {
                        double scale = context.settings().getDouble("scale");
                        FrameGrid grid = context.grid();
                        return new FeatureExtractor() {
                            private final float[] frame = new float[grid.frameLength()];
                            public List<String> columns() { return List.of("crossings"); }
                            public List<String> utteranceColumns() { return List.of("total"); }
                            public FeatureTrack extract(AudioClip clip) {
                                int n = grid.frameCount(clip.length());
                                float[][] out = new float[n][1];
                                double total = 0;
                                for (int t = 0; t < n; t++) {
                                    grid.copyFrame(clip.samples(), t, frame);
                                    int c = 0;
                                    for (int i = 1; i < frame.length; i++) {
                                        if ((frame[i - 1] >= 0) != (frame[i] >= 0)) { c++; }
                                    }
                                    out[t][0] = (float) (c * scale);
                                    total += c * scale;
                                }
                                return new FeatureTrack(List.of("crossings"), out, Map.of("total", total));
                            }
                        };
                    }
                }
                """;
        Files.createDirectories(pluginsDir);
        Path jar = build(workDir, "zcr-count-plugin.jar", Map.of("com.example.ser.ZeroCrossingProvider", provider),
                Map.of("ser.api.FeatureExtractorProvider", "com.example.ser.ZeroCrossingProvider"),
                Map.of("reference.conf", "ser.extractors.zcr-count { scale = 1.0 }\n"));
        return Files.move(jar, pluginsDir.resolve(jar.getFileName()));
    }

    /**
     * A backend plugin "tiny" as a folder of two jars (the provider and a library it brings),
     * {@code pluginsDir/tiny-backend/}. Its description and its models' {@code backend()} report
     * the context class loader they run under and whether the application's Guice is visible, so
     * tests see the isolation. The model is a {@link java.lang.reflect.Proxy} answering only
     * {@code backend()}: it does not depend on the rest of the SequenceModel SPI.
     */
    public static Path tinyBackendPlugin(Path workDir, Path pluginsDir) throws IOException {
        Path lib = build(workDir, "tiny-lib.jar", Map.of("com.example.lib.Answer", """
                package com.example.lib;
                public final class Answer { public static int value() { return 42; } }
                """), Map.of(), Map.of());
        String provider = """
                package com.example.tiny;

                import ser.api.*;

                public final class TinyBackend implements SequenceModelProvider {
                    static String context() {
                        ClassLoader c = Thread.currentThread().getContextClassLoader();
                        return c == null ? "none" : String.valueOf(c.getName());
                    }
                    static String guice() {
                        try {
                            Class.forName("com.google.inject.Guice");
                            return "guice visible";
                        } catch (ClassNotFoundException e) {
                            return "guice hidden";
                        }
                    }
                    public String name() { return "tiny"; }
                    public String description() {
                        return "tiny test backend (context " + context() + ", " + guice() + ", library "
                                + com.example.lib.Answer.value() + ")";
                    }
                    public SequenceModel create(ModelContext context) {
                        return (SequenceModel) java.lang.reflect.Proxy.newProxyInstance(SequenceModel.class.getClassLoader(),
                                new Class<?>[] {SequenceModel.class}, (proxy, method, args) -> {
                                    if (method.getName().equals("backend")) {
                                        return "tiny@" + context();
                                    }
                                    throw new UnsupportedOperationException(method.getName());
                                });
                    }
                    public SequenceModel load(java.nio.file.Path dir, ModelContext context) { return create(context); }
                }
                """;
        Path jar = build(workDir, "tiny-backend.jar", Map.of("com.example.tiny.TinyBackend", provider),
                Map.of("ser.api.SequenceModelProvider", "com.example.tiny.TinyBackend"),
                Map.of("reference.conf", "ser.backends.tiny {}\n"), List.of(lib));
        Path dir = Files.createDirectories(pluginsDir.resolve("tiny-backend"));
        Files.move(lib, dir.resolve("tiny-lib.jar"));
        Files.move(jar, dir.resolve("tiny-backend.jar"));
        return dir;
    }

    /** A plugin jar with one extractor provider of the given body (name "{@code name}"). */
    public static Path extractorJar(Path workDir, Path pluginsDir, String jarName, String simpleName, String members)
            throws IOException {
        String source = "package com.example.bad;\npublic final class " + simpleName
                + " implements ser.api.FeatureExtractorProvider {\n" + members + "\n"
                + "    public ser.api.FeatureExtractor create(ser.api.ExtractorContext c) { return null; }\n}\n";
        Path jar = build(workDir, jarName, Map.of("com.example.bad." + simpleName, source),
                Map.of("ser.api.FeatureExtractorProvider", "com.example.bad." + simpleName), Map.of());
        Files.createDirectories(pluginsDir);
        return Files.move(jar, pluginsDir.resolve(jarName));
    }
}
