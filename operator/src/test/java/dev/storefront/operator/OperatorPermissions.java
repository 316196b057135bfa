package dev.storefront.operator;

import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import dev.storefront.operator.dependent.CnpgCluster;
import dev.storefront.operator.dependent.HttpRoute;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The API permissions the operator's code needs, derived from the reconciler's own workflow declaration. */
final class OperatorPermissions {
    record Permission(String group, String resource, String verb) implements Comparable<Permission> {
        @Override
        public int compareTo(Permission o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + "/" + resource + ":" + verb;
        }
    }

    static final Set<String> DEPENDENT_VERBS = Set.of("get", "list", "watch", "create", "update", "patch", "delete");

    private OperatorPermissions() {
    }

    /** Everything the ClusterRole must grant: the Storefront itself plus full control of each dependent's kind. */
    static Set<Permission> required() {
        var permissions = new TreeSet<Permission>();
        String group = HasMetadata.getGroup(Storefront.class);
        String plural = HasMetadata.getPlural(Storefront.class);
        for (String verb : Set.of("get", "list", "watch", "patch", "update")) {
            permissions.add(new Permission(group, plural, verb));
        }
        permissions.add(new Permission(group, plural + "/status", "patch"));
        permissions.add(new Permission(group, plural + "/status", "update"));
        // owner references with blockOwnerDeletion need update on the owner's finalizers
        permissions.add(new Permission(group, plural + "/finalizers", "update"));
        // Events about Storefronts (StorefrontEvents), never read back
        permissions.add(new Permission("", "events", "create"));
        // children whose CRDs may be absent, applied with get + create/update, deleted when no longer wanted
        for (var gvk : List.of(HttpRoute.GVK)) {
            for (String verb : List.of("get", "create", "update", "delete")) {
                permissions.add(new Permission(gvk.getGroup(), gvk.getPluralOrDefault(), verb));
            }
        }
        // CloudNativePG objects: only the operator's own fields, by server-side apply or merge patch (both PATCH)
        for (var gvk : CnpgCluster.kinds()) {
            for (String verb : List.of("get", "create", "patch", "delete")) {
                permissions.add(new Permission(gvk.getGroup(), gvk.getPluralOrDefault(), verb));
            }
        }
        Workflow workflow = StorefrontReconciler.class.getAnnotation(Workflow.class);
        for (Dependent dependent : workflow.dependents()) {
            String[] groupAndPlural = groupAndPlural(dependent.type());
            for (String verb : DEPENDENT_VERBS) {
                permissions.add(new Permission(groupAndPlural[0], groupAndPlural[1], verb));
            }
        }
        return permissions;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String[] groupAndPlural(Class<? extends DependentResource> type) {
        try {
            DependentResource dependent = type.getDeclaredConstructor().newInstance();
            Class<? extends HasMetadata> resource = (Class<? extends HasMetadata>) dependent.resourceType();
            return new String[]{HasMetadata.getGroup(resource), HasMetadata.getPlural(resource)};
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Expands RBAC rules into single permissions. */
    static Set<Permission> granted(Collection<PolicyRule> rules) {
        var permissions = new TreeSet<Permission>();
        for (PolicyRule rule : rules) {
            for (String apiGroup : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        permissions.add(new Permission(apiGroup, resource, verb));
                    }
                }
            }
        }
        return permissions;
    }

    /**
     * The permission an API request needs, or null for requests that need none of the ClusterRole (discovery,
     * version, leases in the operator's namespace).
     */
    static Permission forRequest(String method, String pathAndQuery) {
        String path = pathAndQuery.split("\\?")[0];
        boolean watch = pathAndQuery.contains("watch=true");
        String[] parts = path.replaceFirst("^/", "").split("/");
        String group;
        int i;
        if (parts.length > 2 && parts[0].equals("api")) {
            group = "";
            i = 2;
        } else if (parts.length > 3 && parts[0].equals("apis")) {
            group = parts[1];
            i = 3;
        } else {
            return null;
        }
        if (parts.length > i + 1 && parts[i].equals("namespaces")) {
            i += 2;
        }
        if (parts.length <= i) {
            return null;
        }
        String resource = parts[i];
        boolean named = parts.length > i + 1;
        if (parts.length > i + 2) {
            resource = resource + "/" + parts[i + 2];
        }
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase(Locale.ROOT);
        };
        return new Permission(group, resource, verb);
    }
}
