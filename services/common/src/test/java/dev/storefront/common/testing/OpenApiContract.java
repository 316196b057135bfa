package dev.storefront.common.testing;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.storefront.common.ServiceModule;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.yaml.snakeyaml.Yaml;

/**
 * Keeps a service's OpenAPI document true: records the method and path of every route the module
 * registers and compares them with the operations in its document.
 */
public final class OpenApiContract {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options");

    private OpenApiContract() {
    }

    /** Routes as "METHOD /path/{param}" (Helidon's {@code {id}} syntax is OpenAPI's too). */
    public static Set<String> routes(ServiceModule module) {
        Set<String> routes = new TreeSet<>();
        module.routing((HttpRouting.Builder) recorder(HttpRouting.Builder.class, "", routes));
        return routes;
    }

    /** A fake HttpRules that records plain routes and descends into registered HttpServices. */
    private static Object recorder(Class<?> type, String prefix, Set<String> routes) {
        return Proxy.newProxyInstance(OpenApiContract.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (METHODS.contains(name) && args != null && args.length > 0 && args[0] instanceof String path) {
                        routes.add(name.toUpperCase() + " " + join(prefix, path));
                    } else if (name.equals("register") && args != null && args.length == 2 && args[0] instanceof String sub
                            && args[1] instanceof HttpService[] services) {
                        for (HttpService service : services) {
                            service.routing((HttpRules) recorder(HttpRules.class, join(prefix, sub), routes));
                        }
                    } else if (name.equals("register") && args != null && args.length == 1 && args[0] instanceof HttpService[] services) {
                        for (HttpService service : services) {
                            service.routing((HttpRules) recorder(HttpRules.class, prefix, routes));
                        }
                    } else if (name.equals("register") || name.equals("route")) {
                        throw new UnsupportedOperationException("OpenApiContract records get/post/... and register(prefix, services...) only");
                    }
                    return method.getReturnType().isInstance(proxy) ? proxy : null;
                });
    }

    private static String join(String prefix, String path) {
        if (path.equals("/") || path.isEmpty()) {
            return prefix.isEmpty() ? "/" : prefix;
        }
        return prefix + path;
    }

    @SuppressWarnings("unchecked")
    public static Set<String> documented(ServiceModule module) {
        try (InputStream in = module.getClass().getClassLoader().getResourceAsStream(module.openApiResource())) {
            if (in == null) {
                throw new AssertionError("No OpenAPI document at " + module.openApiResource());
            }
            Map<String, Object> doc = new Yaml().load(in);
            Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
            Set<String> operations = new TreeSet<>();
            paths.forEach((path, ops) -> ops.keySet().stream().filter(METHODS::contains)
                    .forEach(m -> operations.add(m.toUpperCase() + " " + path)));
            return operations;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Fails naming every route missing from the document and every documented route that does not exist. */
    public static void assertMatches(ServiceModule module) {
        Set<String> real = routes(module);
        Set<String> doc = documented(module);
        Set<String> undocumented = new TreeSet<>(real);
        undocumented.removeAll(doc);
        Set<String> phantom = new TreeSet<>(doc);
        phantom.removeAll(real);
        if (!undocumented.isEmpty() || !phantom.isEmpty()) {
            throw new AssertionError("OpenAPI document of " + module.name() + " is out of date. Undocumented routes: "
                    + undocumented + "; documented but missing: " + phantom);
        }
    }
}
