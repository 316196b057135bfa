package dev.storefront.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's pod network: a bridge on this machine with the node address (10.x.y.1, also where the harness serves
 * the API server, the "external" PostgreSQL and NATS and the Service addresses), and one network namespace per pod
 * with a veth into the bridge and its own address. Everything is named after a random run id and removed by
 * {@link #close()}, also after a failed run.
 */
final class PodNetwork implements AutoCloseable {
    final String id;
    final String bridge;
    /** The node's address on the pod network: pods reach the harness's proxies here. */
    final String nodeAddress;
    private final String podPrefix;
    private final String servicePrefix;
    private final AtomicInteger nextPod = new AtomicInteger(10);
    private final AtomicInteger nextService = new AtomicInteger(10);
    private final List<String> namespaces = new ArrayList<>();
    private boolean closed;

    PodNetwork() throws IOException {
        int a = ThreadLocalRandom.current().nextInt(100, 250);
        int b = ThreadLocalRandom.current().nextInt(0, 120);
        id = Integer.toString(a * 1000 + b, 36);
        bridge = "sfbox" + id;
        podPrefix = "10." + a + "." + b + ".";
        servicePrefix = "10." + a + "." + (b + 128) + ".";
        nodeAddress = podPrefix + "1";
        Files.createDirectories(OWNERS);
        Files.writeString(OWNERS.resolve(id), String.valueOf(ProcessHandle.current().pid()));
        ip("link", "add", bridge, "type", "bridge");
        ip("addr", "add", nodeAddress + "/24", "dev", bridge);
        ip("link", "set", bridge, "up");
    }

    /** Who made which run's network: a run whose process is gone left it behind (killed with SIGKILL). */
    private static final Path OWNERS = Path.of(System.getProperty("java.io.tmpdir"), "storefront-box-networks");

    /** Removes the namespaces and bridges of earlier runs whose process no longer exists. */
    static void removeLeftovers() throws IOException {
        if (!Files.isDirectory(OWNERS)) {
            return;
        }
        try (var owners = Files.list(OWNERS)) {
            for (Path owner : owners.toList()) {
                long pid = Long.parseLong(Files.readString(owner).trim());
                if (ProcessHandle.of(pid).isPresent()) {
                    continue; // still running (another test run on this machine)
                }
                String id = owner.getFileName().toString();
                Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
                for (String line : new String(list.getInputStream().readAllBytes()).split("\n")) {
                    String netns = line.split(" ")[0];
                    if (netns.startsWith("sfbox" + id + "p")) {
                        quietly("netns", "delete", netns);
                    }
                }
                quietly("link", "delete", "sfbox" + id);
                Files.deleteIfExists(owner);
            }
        }
    }

    /** A new ClusterIP, local to the node (the harness's kube-proxy listens on it). */
    synchronized String serviceAddress() throws IOException {
        String address = servicePrefix + nextService.getAndIncrement();
        ip("addr", "add", address + "/32", "dev", bridge);
        return address;
    }

    /** Makes the network namespace of one pod; returns its address. */
    synchronized String addPod(String netns) throws IOException {
        if (closed) {
            throw new IOException("the pod network is gone");
        }
        int n = nextPod.getAndIncrement();
        if (n > 250) {
            throw new IOException("pod network " + podPrefix + "0/24 is full");
        }
        String address = podPrefix + n;
        String hostSide = "sfv" + id + "x" + n;
        ip("netns", "add", netns);
        namespaces.add(netns);
        ip("link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", netns);
        ip("link", "set", hostSide, "master", bridge, "up");
        ip("-n", netns, "addr", "add", address + "/24", "dev", "eth0");
        ip("-n", netns, "link", "set", "lo", "up");
        ip("-n", netns, "link", "set", "eth0", "up");
        ip("-n", netns, "route", "add", "default", "via", nodeAddress);
        return address;
    }

    synchronized void removePod(String netns) {
        if (namespaces.remove(netns)) {
            quietly("netns", "delete", netns);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (String netns : List.copyOf(namespaces)) {
            removePod(netns);
        }
        quietly("link", "delete", bridge);
        try {
            Files.deleteIfExists(OWNERS.resolve(id));
        } catch (IOException ignored) {
            // a leftover owner file of a dead process is removed by the next run
        }
    }

    private static void quietly(String... args) {
        try {
            ip(args);
        } catch (IOException e) {
            System.err.println("cluster-in-a-box cleanup: " + e.getMessage());
        }
    }

    static void ip(String... args) throws IOException {
        var command = new ArrayList<String>();
        command.add("ip");
        command.addAll(List.of(args));
        OciImage.run(command);
    }
}
