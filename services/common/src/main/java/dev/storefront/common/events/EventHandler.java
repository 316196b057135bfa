package dev.storefront.common.events;

import java.util.List;

import io.helidon.dbclient.DbTransaction;

/**
 * One integration-event handler of a service, in a class of its own (named in the service's
 * {@link dev.storefront.common.ServiceDefinition#consumes()}): the kit subscribes it with a durable
 * consumer named {@code <service>-<group>_<type>} and runs {@link #apply} once per event id, in the
 * transaction that records the id (see {@link EventConsumer}).
 */
public abstract class EventHandler {
    private final String group;
    private final List<String> types;

    /**
     * @param group part of the durable consumer's name, shared by the handlers of one consumer (renaming
     *              it makes a new durable consumer that sees every retained event again)
     * @param types the event types it handles, e.g. {@code storefront.order.cancelled}
     */
    protected EventHandler(String group, List<String> types) {
        this.group = group;
        this.types = List.copyOf(types);
    }

    public final String group() {
        return group;
    }

    public final List<String> types() {
        return types;
    }

    /**
     * True for a read model each replica keeps for itself (search's index): every replica then gets every event
     * through a consumer of its own that starts at the newest event (what came before, the replica loads
     * itself), records no event ids (its {@link #apply} must be idempotent) and is dropped by JetStream once
     * the replica has been gone a while. False (the default): the replicas share one durable consumer.
     */
    public boolean everyReplica() {
        return false;
    }

    /** Applies one event inside the consumer's transaction. */
    public abstract void apply(DbTransaction tx, CloudEvent event);
}
