package dev.storefront.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of one service that, while slow, holds every answer back for a while:
 * the request reaches the service (which does the work) but the caller times out waiting. That is
 * the nasty kind of network fault: the caller cannot tell whether its call took effect.
 */
final class SlowProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final AtomicLong delayMs = new AtomicLong();
    private final AtomicLong delayed = new AtomicLong();
    private volatile boolean open = true;

    SlowProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().name("slow-proxy").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on each chunk of an answer waits {@code ms} before it is passed on (0: pass at once). */
    void delay(long ms) {
        delayMs.set(ms);
    }

    /** How many answers were held back. */
    long delayed() {
        return delayed.get();
    }

    private void accept() {
        while (open) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> connect(client));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void connect(Socket client) {
        try (client; Socket upstream = new Socket()) {
            upstream.connect(new InetSocketAddress("127.0.0.1", upstreamPort), 2_000);
            Thread up = Thread.ofVirtual().start(() -> pump(client, upstream, false));
            pump(upstream, client, true);
            up.join();
        } catch (IOException | InterruptedException e) {
            // upstream down or a side hung up: the caller sees a reset, as on a real network
        }
    }

    private void pump(Socket from, Socket to, boolean answers) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long wait = answers ? delayMs.get() : 0;
                if (wait > 0) {
                    delayed.incrementAndGet();
                    Thread.sleep(wait);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // connection closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        server.close();
    }
}
