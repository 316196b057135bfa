package dev.storefront.common.events;

import dev.storefront.common.db.Database;
import dev.storefront.common.tracing.Tracing;
import dev.storefront.common.web.Json;
import dev.storefront.common.web.RequestContext;
import io.helidon.dbclient.DbExecute;

/**
 * Writes an event into the outbox table inside the caller's transaction: it is published if and
 * only if the state change it describes commits.
 */
public final class Outbox {
    private final String service;

    public Outbox(String service) {
        this.service = service;
    }

    public CloudEvent append(DbExecute tx, String type, Object data) {
        CloudEvent event = CloudEvent.of(service, type, data);
        tx.insert("INSERT INTO outbox (id, type, envelope, request_id, traceparent) VALUES (?, ?, ?, ?, ?)",
                event.id(), type, Json.write(event), RequestContext.requestId(), Tracing.traceparent());
        Database.wakeOnCommit(); // the relay publishes it as soon as the transaction commits
        return event;
    }
}
