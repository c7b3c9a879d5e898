package ser.pipeline.plugins;

import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;

/**
 * Guards the application against its plugins.
 *
 * <p>Context class loader: libraries such as DJL find their engines through the thread's
 * context class loader, so every call into a plugin's objects runs with the plugin's loader as
 * the context loader. {@link #contextual} wraps a provider in a proxy doing that, and wraps the
 * SPI objects it returns (a {@code FeatureExtractor}, a {@code SequenceModel}) the same way.
 *
 * <p>{@code System.exit} in a plugin: Java 17 can only forbid it with the deprecated security
 * manager ({@code -Djava.security.manager=allow}, a warning on every run, and gone in later
 * JDKs), so instead an exit is <em>detected</em>: {@link #watchExits} installs a shutdown hook
 * that looks for the thread calling {@code Runtime.exit} and, if a frame of a plugin's class is
 * on its stack (its class loader is named {@code plugin:<origin>}), prints which plugin ended
 * the process and halts with exit code 1 instead of the plugin's code, so a plugin can never fake
 * a success. Signals (Ctrl-C) and our own exit are not affected: no plugin frame calls exit
 * there. {@code Runtime.halt} in a plugin cannot be detected by any means and is not covered.
 */
public final class PluginGuard {

    private static final String LOADER_PREFIX = "plugin:";

    private PluginGuard() {
    }

    /** Wraps {@code target} (of SPI interface {@code type}) so each call runs with {@code loader} as context loader. */
    @SuppressWarnings("unchecked")
    static <T> T contextual(Class<T> type, T target, ClassLoader loader) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new ContextHandler(target, loader));
    }

    private record ContextHandler(Object target, ClassLoader loader) implements InvocationHandler {
        @Override
        @SuppressWarnings("unchecked")
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                Object result = method.invoke(target, args);
                Class<?> returned = method.getReturnType();
                boolean guarded = result != null && Proxy.isProxyClass(result.getClass())
                        && Proxy.getInvocationHandler(result) instanceof ContextHandler;
                if (result != null && !guarded && returned.isInterface() && returned.getName().startsWith("ser.api.")) {
                    return contextual((Class<Object>) returned, result, loader);
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }

    /** Installs the shutdown hook that turns a plugin's {@code System.exit} into a reported failure (exit 1). */
    public static void watchExits(PrintStream err) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> exitingPlugin(Thread.getAllStackTraces()).ifPresent(origin -> {
            err.println("ser: plugin " + origin + " called System.exit; that is a failure of the plugin, not a result"
                    + " (remove it from the plugins folder or fix it)");
            err.flush();
            Runtime.getRuntime().halt(1);
        }), "ser-plugin-exit-watch"));
    }

    /** The origin of the plugin whose code is calling {@code Runtime.exit} on some thread, if any. */
    static Optional<String> exitingPlugin(Map<Thread, StackTraceElement[]> stacks) {
        for (StackTraceElement[] stack : stacks.values()) {
            boolean exiting = false;
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().equals("java.lang.Runtime") && frame.getMethodName().equals("exit")) {
                    exiting = true;
                } else if (exiting && frame.getClassLoaderName() != null && frame.getClassLoaderName().startsWith(LOADER_PREFIX)) {
                    return Optional.of(frame.getClassLoaderName().substring(LOADER_PREFIX.length()));
                }
            }
        }
        return Optional.empty();
    }
}
