package dev.storefront.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/** Fails fast, in one line, when PostgreSQL or NATS is not there. */
final class Preflight {
    private Preflight() {
    }

    static void check(Settings settings) {
        String[] pg = settings.dbHost().split(":");
        if (!reachable(pg[0], pg.length > 1 ? Integer.parseInt(pg[1]) : 5432)) {
            fail("PostgreSQL is not reachable at " + settings.dbHost()
                    + " - start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (or set STOREFRONT_DB_HOST)");
        }
        URI nats = URI.create(settings.natsUrl());
        if (!reachable(nats.getHost(), nats.getPort() < 0 ? 4222 : nats.getPort())) {
            fail("NATS is not reachable at " + settings.natsUrl()
                    + " - start it: nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server (or set NATS_URL)");
        }
    }

    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1_500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void fail(String line) {
        System.err.println("storefront: " + line);
        System.exit(1);
    }
}
