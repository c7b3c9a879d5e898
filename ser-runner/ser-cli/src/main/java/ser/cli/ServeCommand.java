package ser.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import com.google.inject.Injector;
import com.typesafe.config.Config;
import ser.pipeline.plugins.PluginRegistry;
import ser.server.SerServer;
import ser.server.ServeSettings;

/** {@code ser serve}: the model over HTTP and WebSocket, with a page at /. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a model bundle: POST /v1/predict and /v1/segments (an audio file as the body or multipart), "
                + "WS /v1/stream (live PCM), GET /v1/model, /healthz, /readyz, /metrics, and a page at / that records the "
                + "microphone or takes a dropped file.",
            "Settings under ser.serve (pool-size, queue-size, limits, token, windows). Binds to loopback unless --host "
                + "says otherwise. Stops gracefully on Ctrl-C / SIGTERM: accepted requests finish."})
public final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    SerCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions bundleOptions;

    @Option(names = "--port", paramLabel = "N", description = "port (default: ser.serve.port, 8080; 0 = any free one)")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "address to bind (default: ser.serve.host, 127.0.0.1)")
    String host;

    @Override
    public Integer call() throws InterruptedException {
        Injector injector = root.injector(OptionSettings.NONE.with(ServeSettings.ROOT + ".port", port)
                .with(ServeSettings.ROOT + ".host", host));
        Config config = injector.getInstance(Config.class);
        ServeSettings settings = ServeSettings.from(config);
        SerServer server = SerServer.open(bundleOptions.model, injector.getInstance(PluginRegistry.class), config, bundleOptions.backend, settings).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "ser-serve-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "ser serve: %s/ (%s inference, %d model instance(s), queue %d%s); Ctrl-C stops%n", server.url(),
                server.inference(), settings.poolSize(), settings.queueSize(), settings.tokenRequired() ? ", bearer token required" : "");
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
