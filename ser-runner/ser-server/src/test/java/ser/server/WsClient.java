package ser.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client for the tests: every text message and the close, in order. */
final class WsClient implements AutoCloseable {

    /** A message, or the close ({@code closeCode} set). */
    record Event(JsonNode message, int closeCode, long nanos) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    WsClient(String httpUrl) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(httpUrl.replaceFirst("^http", "ws") + "/v1/stream"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            try {
                                events.add(new Event(Http.JSON.readTree(text.toString()), -1, System.nanoTime()));
                            } catch (java.io.IOException e) {
                                throw new IllegalStateException(e);
                            }
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        events.add(new Event(null, statusCode, System.nanoTime()));
                        return null;
                    }
                }).orTimeout(10, TimeUnit.SECONDS).join();
    }

    void text(String s) {
        socket.sendText(s, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    void binary(ByteBuffer b) {
        // The JDK client masks 8 bytes at a time in the buffer's byte order: a little-endian buffer
        // arrives with every 8-byte group reversed. The bytes are what matter; send them big-endian.
        socket.sendBinary(b.order(ByteOrder.BIG_ENDIAN), true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    static ByteBuffer pcm16(float[] x, int from, int to) {
        ByteBuffer b = ByteBuffer.allocate(2 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < to; i++) {
            b.putShort((short) Math.round(Math.max(-1, Math.min(1, x[i])) * 32767));
        }
        return b.flip();
    }

    static ByteBuffer float32(float[] x, int from, int to) {
        ByteBuffer b = ByteBuffer.allocate(4 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < to; i++) {
            b.putFloat(x[i]);
        }
        return b.flip();
    }

    /** The next event, failing after 30 s. */
    Event next() throws InterruptedException {
        Event e = events.poll(30, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no WebSocket message within 30 s");
        }
        return e;
    }

    @Override
    public void close() {
        socket.abort();
    }
}
