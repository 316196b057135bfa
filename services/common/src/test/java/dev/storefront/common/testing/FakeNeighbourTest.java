package dev.storefront.common.testing;

import java.util.Map;

import dev.storefront.common.web.ApiException;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fake neighbour's routes, served by Helidon's own test server. */
@ServerTest
class FakeNeighbourTest {
    private static final FakeNeighbour FAKE = new FakeNeighbour()
            .on("GET", "/things/{id}", call -> Map.of("id", call.param("id"), "q", String.valueOf(call.query("q"))))
            .on("made", "POST", "/things", call -> FakeNeighbour.Answer.created(call.json()))
            .on("DELETE", "/things/{id}", call -> null);

    private final Http1Client client;

    FakeNeighbourTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        server.featuresDiscoverServices(false); // the fake needs no metrics, so it needs no start lock either
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        FAKE.routing(routing);
    }

    @AfterEach
    void heal() {
        FAKE.heal();
    }

    @Test
    void answersWhatItIsProgrammedWithAndCountsCalls() {
        int before = FAKE.calls("GET /things/{id}");
        ClientResponseTyped<String> got = client.get("/things/7").queryParam("q", "x").request(String.class);
        assertThat(got.status()).isEqualTo(Status.OK_200);
        assertThat(got.entity()).contains("\"success\":true").contains("\"id\":\"7\"").contains("\"q\":\"x\"");
        assertThat(FAKE.calls("GET /things/{id}") - before).isEqualTo(1);

        ClientResponseTyped<String> made = client.post("/things").submit("{\"a\":1}", String.class);
        assertThat(made.status()).isEqualTo(Status.CREATED_201);
        assertThat(made.entity()).contains("\"a\":1");
        assertThat(client.delete("/things/7").request(String.class).status()).isEqualTo(Status.NO_CONTENT_204);
        assertThat(client.get("/nothing").request(String.class).status()).isEqualTo(Status.NOT_FOUND_404);
        assertThat(FAKE.routes()).containsExactly("GET /things/{id}", "made", "DELETE /things/{id}");
    }

    @Test
    void failsAndAnswersLateWhenTold() {
        int made = FAKE.calls("made");
        FAKE.down("made");
        ClientResponseTyped<String> down = client.post("/things").submit("{}", String.class);
        assertThat(down.status()).isEqualTo(Status.SERVICE_UNAVAILABLE_503);
        assertThat(down.entity()).contains("DEPENDENCY_UNAVAILABLE");
        FAKE.fail("GET /things/{id}", ApiException.conflict("no"));
        assertThat(client.get("/things/1").request(String.class).status()).isEqualTo(Status.CONFLICT_409);
        FAKE.heal();

        FAKE.delayOnce("GET /things/{id}", 300);
        long start = System.nanoTime();
        assertThat(client.get("/things/1").request(String.class).status()).isEqualTo(Status.OK_200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        start = System.nanoTime();
        client.get("/things/1").request(String.class);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(300);
        assertThat(FAKE.calls("made") - made).as("a failed call counts").isEqualTo(1);
    }
}
