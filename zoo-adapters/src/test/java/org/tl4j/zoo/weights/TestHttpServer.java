package org.tl4j.zoo.weights;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A local HTTP server for download tests: 127.0.0.1, ephemeral port, a handful of behaviours (serve bytes, fail
 * with a status, stall, close early, redirect), a request counter per path and a hard cap on requests so a
 * retry loop gone wrong cannot run on. {@link #close()} releases stalled handlers and stops it.
 */
final class TestHttpServer implements AutoCloseable {

    /** More requests than any test needs; beyond it the server answers 503 and the test fails on counts. */
    static final int MAX_REQUESTS = 50;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    TestHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    /** Serves whatever {@code body} supplies at the time of each request. */
    TestHttpServer serve(String path, Supplier<byte[]> body) {
        return handle(path, exchange -> {
            byte[] bytes = body.get();
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    TestHttpServer serve(String path, byte[] body) {
        return serve(path, () -> body);
    }

    TestHttpServer status(String path, int status) {
        return handle(path, exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
    }

    /** Announces {@code body.length} bytes, sends {@code sent} of them, then waits until the server closes. */
    TestHttpServer stall(String path, byte[] body, int sent) {
        return handle(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, sent);
            out.flush();
            awaitRelease();
            exchange.close();
        });
    }

    /** Announces {@code body.length} bytes, sends {@code sent} of them and closes the connection. */
    TestHttpServer closeEarly(String path, byte[] body, int sent) {
        return handle(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, sent);
            out.flush();
            // Closing the exchange before the announced length makes the server drop the connection.
            exchange.close();
        });
    }

    TestHttpServer redirect(String path, String location) {
        return handle(path, exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private TestHttpServer handle(String path, Handler handler) {
        server.createContext(path, exchange -> {
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (total.incrementAndGet() > MAX_REQUESTS) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            handler.handle(exchange);
        });
        return this;
    }

    private void awaitRelease() {
        try {
            // Bounded, so a forgotten close() cannot keep a thread alive for long.
            released.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
