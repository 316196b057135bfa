package dev.storefront.common.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import dev.storefront.common.ServiceServer;
import dev.storefront.common.security.Role;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One service module running for a test class, the way {@code Main} runs it: its own {@link TestEnv}
 * (databases {@code sft_<id>_<service>}, its own JetStream stream), the module built by its factory,
 * served by {@code ServiceServer} on a free port, an envelope-aware {@link TestHttp}, tokens for a
 * shopper, vendor, admin or calling service, and the {@link FakeNeighbour}s it talks to. A JUnit 5
 * extension: register it on a static field and it starts before the class and closes after it.
 * <pre>
 * &#64;RegisterExtension
 * static final ServiceFixture&lt;CartModule&gt; CART = ServiceFixture.of("cart", CartModule::create)
 *         .neighbour(NEIGHBOURS, "catalog", "inventory");
 * ...
 * static final TestHttp http = CART.http();
 * ...
 * Reply r = http.post("/api/cart/add", CART.shopper(user), body);
 * </pre>
 * Test methods and lifecycle methods may also take a {@link TestHttp}, {@link TestEnv}, {@link ServiceContext}
 * or the module as a parameter; {@link #client()} is Helidon's client, as {@code @ServerTest} injects it.
 * {@link #start()} and {@link #close()} serve classes that start one by hand (per-test settings).
 */
public final class ServiceFixture<M extends ServiceModule> implements BeforeAllCallback, AfterAllCallback,
        ParameterResolver, AutoCloseable {
    private final String service;
    private final Function<ServiceContext, M> factory;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<FakeNeighbour> neighbours = new ArrayList<>();
    private final Map<String, FakeNeighbour> neighbourAt = new LinkedHashMap<>();
    private BiFunction<TestEnv, String, ServiceContext> contextMaker = TestEnv::context;

    private TestEnv env;
    private ServiceContext ctx;
    private M module;
    private WebServer server;
    private Http1Client client;
    private final TestHttp http = new TestHttp(() -> uri().toString(), Duration.ofSeconds(30));

    private ServiceFixture(String service, Function<ServiceContext, M> factory) {
        this.service = service;
        this.factory = factory;
    }

    /** A fixture for {@code service} whose module {@code factory} builds (e.g. {@code CartModule::create}). */
    public static <M extends ServiceModule> ServiceFixture<M> of(String service, Function<ServiceContext, M> factory) {
        return new ServiceFixture<>(service, factory);
    }

    /** A config value for the service (set before it starts). */
    public ServiceFixture<M> set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public ServiceFixture<M> settings(Map<String, String> values) {
        settings.putAll(values);
        return this;
    }

    /** {@code fake} answers for each of {@code services}; it starts before and stops after the module. */
    public ServiceFixture<M> neighbour(FakeNeighbour fake, String... services) {
        if (!neighbours.contains(fake)) {
            neighbours.add(fake);
        }
        for (String s : services) {
            neighbourAt.put("storefront.services." + s + ".url", fake);
        }
        return this;
    }

    /** {@code fake} is what the config value {@code key} points at (e.g. an outside API's base URL). */
    public ServiceFixture<M> neighbourAt(String key, FakeNeighbour fake) {
        neighbour(fake);
        neighbourAt.put(key, fake);
        return this;
    }

    /**
     * How the context is made; the default is {@link TestEnv#context} (tokens of {@link TestKeys}).
     * Auth makes an ordinary one: {@code .context((env, name) -> ServiceContext.builder(name, env.config(name)).build())}.
     */
    public ServiceFixture<M> context(BiFunction<TestEnv, String, ServiceContext> maker) {
        this.contextMaker = maker;
        return this;
    }

    /** Starts the neighbours, then the module on a free port. Once; later calls return the same fixture. */
    public synchronized ServiceFixture<M> start() {
        if (server != null) {
            return this;
        }
        env = new TestEnv();
        try {
            neighbours.forEach(FakeNeighbour::start);
            neighbourAt.forEach((key, fake) -> env.set(key, fake.url()));
            settings.forEach(env::set);
            ctx = contextMaker.apply(env, service);
            module = factory.apply(ctx);
            server = ServiceServer.start(env.config(service), 0, List.of(module)); // under the kit's one start lock
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.closeResource();
        }
        if (server != null) {
            server.stop();
        }
        if (module != null) {
            module.close();
        }
        neighbours.forEach(FakeNeighbour::close);
        if (env != null) {
            env.close();
        }
        server = null;
    }

    // ---- what a test uses ------------------------------------------------------------------------

    public String name() {
        return service;
    }

    public TestEnv env() {
        return started(env);
    }

    public ServiceContext context() {
        return started(ctx);
    }

    public M module() {
        return started(module);
    }

    public WebServer server() {
        return started(server);
    }

    public int port() {
        return server().port();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The envelope-aware client of this service (may be taken before it starts, e.g. into a static field). */
    public TestHttp http() {
        return http;
    }

    /** Helidon's HTTP/1.1 client for this service, as {@code @ServerTest} would inject it. */
    public synchronized Http1Client client() {
        if (client == null) {
            client = Http1Client.builder().baseUri(uri()).build();
        }
        return client;
    }

    /** The keys tokens are signed with (so tokens may be made before the service starts). */
    public TestKeys keys() {
        return TestKeys.shared();
    }

    public String token(UUID userId, Role role) {
        return keys().accessToken(userId, role);
    }

    public String shopper(UUID userId) {
        return token(userId, Role.CUSTOMER);
    }

    /** A token of a new shopper nobody else has. */
    public String shopper() {
        return shopper(UUID.randomUUID());
    }

    public String vendor(UUID userId) {
        return token(userId, Role.VENDOR);
    }

    public String admin(UUID userId) {
        return token(userId, Role.ADMIN);
    }

    public String admin() {
        return admin(UUID.randomUUID());
    }

    /** The token {@code caller} (another service) sends to this one. */
    public String service(String caller) {
        return keys().serviceToken(caller);
    }

    /** A JDBC connection to the service's own database. */
    public Connection jdbc() throws SQLException {
        return env().jdbc(service);
    }

    /** The single number a query answers (a count, a sum) in the service's database. */
    public long count(String sql, Object... params) {
        try (Connection c = jdbc(); var st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs a statement in the service's database. */
    public void sql(String statement) {
        try (Connection c = jdbc(); var st = c.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    private <T> T started(T value) {
        if (value == null) {
            throw new IllegalStateException(service + " is not started: register the fixture with @RegisterExtension"
                    + " on a static field, or call start()");
        }
        return value;
    }

    // ---- JUnit 5 ---------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestHttp.class || type == ServiceContext.class || type == TestEnv.class
                || module != null && type.isInstance(module) && type != Object.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == TestHttp.class) {
            return http();
        } else if (type == ServiceContext.class) {
            return context();
        } else if (type == TestEnv.class) {
            return env();
        }
        return module();
    }
}
