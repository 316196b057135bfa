package dev.storefront.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A TCP forwarder on one address and port, to a target chosen per connection: the harness's kube-proxy (a Service
 * address to one of its ready pods, round robin) and the node's way to this machine's PostgreSQL, NATS and the
 * mock API server.
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    final AtomicLong connections = new AtomicLong();

    TcpProxy(String address, int port, Supplier<InetSocketAddress> target) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(address), port), 512);
        Thread.ofVirtual().name("proxy-" + address + ":" + port).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> forward(client, target));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private void forward(Socket client, Supplier<InetSocketAddress> target) {
        InetSocketAddress to = target.get();
        if (to == null) { // no ready endpoint: refused, as kube-proxy does
            close(client);
            return;
        }
        try {
            Socket upstream = new Socket();
            upstream.connect(to, 3000);
            open.add(client);
            open.add(upstream);
            Thread.ofVirtual().start(() -> pump(client, upstream));
            pump(upstream, client);
        } catch (IOException e) {
            close(client);
        }
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the other side went away
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(this::close);
    }
}
