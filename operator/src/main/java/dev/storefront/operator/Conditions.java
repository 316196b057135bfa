package dev.storefront.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status conditions, kstatus style: every type always present, True/False with a CamelCase reason and a message a
 * person can act on; lastTransitionTime changes only when the status does.
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String DATABASE_READY = "DatabaseReady";
    public static final String MESSAGING_READY = "MessagingReady";
    public static final String SERVICES_READY = "ServicesReady";
    public static final String GATEWAY_READY = "GatewayReady";
    public static final String DEGRADED = "Degraded";
    public static final String RECONCILIATION_PAUSED = "ReconciliationPaused";
    /** kstatus: True while the operator is still working towards the spec (and expects to get there). */
    public static final String RECONCILING = "Reconciling";
    /** kstatus: True when it cannot get there without a person (bad spec, foreign database, missing Secret). */
    public static final String STALLED = "Stalled";
    /** The order in which they appear in the status. */
    public static final List<String> TYPES = List.of(READY, RECONCILING, STALLED, DATABASE_READY, MESSAGING_READY,
            SERVICES_READY, GATEWAY_READY, DEGRADED, RECONCILIATION_PAUSED);
    /** Types whose True is the bad news, so their transition to True is a Warning Event. */
    static final List<String> ABNORMAL_TRUE = List.of(STALLED, DEGRADED);

    private Conditions() {
    }

    public record Verdict(String type, boolean status, String reason, String message) {
        public static Verdict isTrue(String type, String reason, String message) {
            return new Verdict(type, true, reason, message);
        }

        public static Verdict isFalse(String type, String reason, String message) {
            return new Verdict(type, false, reason, message);
        }
    }

    /** Merges new verdicts into the previous conditions; types without a new verdict keep their old condition. */
    public static List<Condition> merge(List<Condition> previous, List<Verdict> verdicts, Long generation, Instant now) {
        var result = new ArrayList<Condition>();
        for (String type : TYPES) {
            Condition old = find(previous, type);
            Verdict verdict = verdicts.stream().filter(v -> v.type().equals(type)).findFirst().orElse(null);
            if (verdict == null) {
                if (old != null) {
                    result.add(old);
                }
                continue;
            }
            String status = verdict.status() ? "True" : "False";
            String transition = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
                    ? old.getLastTransitionTime() : now.truncatedTo(ChronoUnit.SECONDS).toString();
            result.add(new ConditionBuilder().withType(type).withStatus(status).withReason(verdict.reason())
                    .withMessage(verdict.message()).withLastTransitionTime(transition)
                    .withObservedGeneration(generation).build());
        }
        return result;
    }

    /** Conditions whose status or reason changed from previous to current: one Event each. */
    public static List<Condition> changed(List<Condition> previous, List<Condition> current) {
        var changed = new ArrayList<Condition>();
        for (Condition condition : current) {
            Condition old = find(previous, condition.getType());
            if (old == null || !Objects.equals(old.getStatus(), condition.getStatus())
                    || !Objects.equals(old.getReason(), condition.getReason())) {
                changed.add(condition);
            }
        }
        return changed;
    }

    /**
     * Whether a change to this state is a Normal Event or a Warning: Stalled or Degraded turning True is a Warning
     * (errors have their own Warning Events); a shop still starting is Normal, not alarming.
     */
    public static boolean isNormal(Condition condition) {
        return !(ABNORMAL_TRUE.contains(condition.getType()) && "True".equals(condition.getStatus()));
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> Objects.equals(c.getType(), type)).findFirst().orElse(null);
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        Condition condition = find(conditions, type);
        return condition != null && "True".equals(condition.getStatus());
    }
}
