package dev.storefront.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;

/** Free ports, and waiting for one to listen. */
final class Ports {
    private Ports() {
    }

    static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** An offset that moves the split ports 8081-8088 onto eight free ports (10000-19900 up). */
    static int freeSplitOffset() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = 10_000 + 100 * ThreadLocalRandom.current().nextInt(0, 100);
            boolean allFree = true;
            for (int port = 8081 + offset; port <= 8088 + offset && allFree; port++) {
                allFree = bindable(port);
            }
            if (allFree) {
                return offset;
            }
        }
        throw new IllegalStateException("no eight free ports for the split platform");
    }

    static void await(int port, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!listening(port)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("nothing listens on " + port + " after " + timeoutMs + " ms");
            }
            Thread.sleep(100);
        }
    }
}
