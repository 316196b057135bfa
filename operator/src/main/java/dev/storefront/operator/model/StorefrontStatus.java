package dev.storefront.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/** What the operator saw, kstatus style: observedGeneration plus typed conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorefrontStatus {
    public Long observedGeneration;
    public List<Condition> conditions = new ArrayList<>();
    public List<ServiceStatus> services = new ArrayList<>();
    public List<DatabaseStatus> databases = new ArrayList<>();
    public String url;
    public String operatorVersion;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ServiceStatus {
        public String name;
        public String image;
        public Integer desiredReplicas;
        public Integer readyReplicas;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class DatabaseStatus {
        public String service;
        public String database;
        public String role;
        public String secretName;
        /** True once the database, role and grants exist on the server. */
        public Boolean applied;
    }
}
