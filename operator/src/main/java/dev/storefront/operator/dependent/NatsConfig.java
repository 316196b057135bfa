package dev.storefront.operator.dependent;

import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The in-cluster nats-server configuration: one user per service with its generated password, JetStream on the
 * data volume, and with messaging.replicas above 1 a cluster whose routes name every pod through the headless
 * Service (route logins are generated too, so only the shop's own servers join). Passwords come from the
 * generator's alphabet (letters and digits), so they need no quoting or URL escaping.
 */
public final class NatsConfig {
    public static final String KEY = "nats.conf";
    public static final String ROUTE_USER = "route";
    public static final int CLIENT_PORT = 4222;
    public static final int CLUSTER_PORT = 6222;
    public static final int MONITOR_PORT = 8222;

    private NatsConfig() {
    }

    /**
     * @param passwords     service -> its NATS password
     * @param routePassword the cluster routes' password (unused with one server)
     */
    public static String render(Storefront sf, Map<ShopService, String> passwords, String routePassword) {
        int replicas = replicas(sf);
        var text = new StringBuilder()
                .append("# written by the Storefront operator from the ").append(StorefrontNames.nats(sf))
                .append("-<service> Secrets; edits are overwritten\n")
                .append("port: ").append(CLIENT_PORT).append('\n')
                .append("http_port: ").append(MONITOR_PORT).append('\n')
                // the pod's name (downward API): stable per StatefulSet ordinal, as JetStream clustering needs
                .append("server_name: $POD_NAME\n")
                .append("jetstream {\n  store_dir: \"/data\"\n}\n")
                .append("authorization {\n  users = [\n");
        passwords.forEach((service, password) -> text.append("    { user: \"").append(service.id())
                .append("\", password: \"").append(password).append("\" }\n"));
        text.append("  ]\n}\n");
        if (replicas > 1) {
            String routes = IntStream.range(0, replicas)
                    .mapToObj(i -> "    \"nats-route://" + ROUTE_USER + ":" + routePassword + "@" + StorefrontNames.nats(sf)
                            + "-" + i + "." + StorefrontNames.natsCluster(sf) + "." + sf.getMetadata().getNamespace()
                            + ".svc:" + CLUSTER_PORT + "\"")
                    .collect(Collectors.joining("\n"));
            text.append("cluster {\n")
                    .append("  name: \"").append(StorefrontNames.nats(sf)).append("\"\n")
                    .append("  port: ").append(CLUSTER_PORT).append('\n')
                    .append("  authorization {\n    user: \"").append(ROUTE_USER).append("\"\n    password: \"")
                    .append(routePassword).append("\"\n  }\n")
                    .append("  routes = [\n").append(routes).append("\n  ]\n")
                    .append("}\n");
        }
        return text.toString();
    }

    public static int replicas(Storefront sf) {
        Integer replicas = sf.getSpec().messaging.replicas;
        return replicas == null || replicas < 1 ? 1 : replicas;
    }
}
