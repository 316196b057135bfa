package dev.storefront.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.ArrayList;
import java.util.List;

/**
 * What a shop should look like. Every field has a default, so {@code spec: {}} is a working dev shop.
 * Java initialisers repeat the CRD defaults because tests (and old API servers) may not apply them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// transition rules (they see oldSelf on updates only): changing these would point the shop at empty databases or
// a new volume and strand the data; docs/operator-data-safety.md has the migration path (a new Storefront)
@ValidationRule(value = StorefrontSpec.SAME_DATABASE_MODE, message = "database.mode cannot be changed; "
        + "create a new Storefront and move the data (see docs/operator-data-safety.md)", reason = "FieldValueForbidden")
@ValidationRule(value = StorefrontSpec.SAME_NAME_PREFIX, message = "database.namePrefix cannot be changed; "
        + "the databases keep their names (see docs/operator-data-safety.md)", reason = "FieldValueForbidden")
@ValidationRule(value = StorefrontSpec.SAME_IN_CLUSTER_STORAGE, message = "database.inCluster storageSize and "
        + "storageClassName cannot be changed (the StatefulSet's volume template is fixed); resize the PVC itself",
        reason = "FieldValueForbidden")
public class StorefrontSpec {
    static final String SAME_DATABASE_MODE = "(has(oldSelf.database) && has(oldSelf.database.mode) ? oldSelf.database.mode : 'InCluster')"
            + " == (has(self.database) && has(self.database.mode) ? self.database.mode : 'InCluster')";
    static final String SAME_NAME_PREFIX = "(has(oldSelf.database) && has(oldSelf.database.namePrefix) ? oldSelf.database.namePrefix : '')"
            + " == (has(self.database) && has(self.database.namePrefix) ? self.database.namePrefix : '')";
    static final String SAME_IN_CLUSTER_STORAGE = "(has(oldSelf.database) && has(oldSelf.database.inCluster) && has(oldSelf.database.inCluster.storageSize) ? oldSelf.database.inCluster.storageSize : '1Gi') == (has(self.database) && has(self.database.inCluster) && has(self.database.inCluster.storageSize) ? self.database.inCluster.storageSize : '1Gi')"
            + " && (has(oldSelf.database) && has(oldSelf.database.inCluster) && has(oldSelf.database.inCluster.storageClassName) ? oldSelf.database.inCluster.storageClassName : '') == (has(self.database) && has(self.database.inCluster) && has(self.database.inCluster.storageClassName) ? self.database.inCluster.storageClassName : '')"
            + " || (has(self.database) && has(self.database.mode) && self.database.mode != 'InCluster')";
    static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";
    static final String DNS_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    static final String HOSTNAME = "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    @JsonPropertyDescription("Storefront release to run; also the default image tag.")
    @Default("0.1.0")
    @Pattern("^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$")
    public String version = "0.1.0";

    @JsonPropertyDescription("Stop reconciling this Storefront (the annotation storefront.dev/paused=true does the same).")
    @Default("false")
    public Boolean paused = false;

    public Image image = new Image();
    public Services services = new Services();
    public Database database = new Database();
    public Messaging messaging = new Messaging();
    @JsonPropertyDescription("How shoppers reach the shop; without it no Ingress or HTTPRoute is made.")
    public Gateway gateway;
    public Payment payment = new Payment();
    public Mail mail = new Mail();
    @JsonPropertyDescription("S3-compatible object storage for catalog's product images; without it image upload answers 503.")
    public ObjectStorage objectStorage;
    public Admin admin = new Admin();
    public Monitoring monitoring = new Monitoring();
    public Observability observability = new Observability();

    @JsonPropertyDescription("Seed demo products and users into empty databases.")
    @Default("false")
    public Boolean demoData = false;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Image {
        @JsonPropertyDescription("Registry and path prefix; a service's image is <registry>/storefront-<service>:<tag>.")
        @Default("ghcr.io/storefront-dev")
        @Pattern("^[a-z0-9]([-a-z0-9._:/]*[a-z0-9])?$")
        public String registry = "ghcr.io/storefront-dev";
        @JsonPropertyDescription("Image tag; defaults to spec.version.")
        @Pattern("^[0-9A-Za-z_][0-9A-Za-z._-]{0,127}$")
        public String tag;
        @Default("IfNotPresent")
        public PullPolicy pullPolicy = PullPolicy.IfNotPresent;
        @JsonPropertyDescription("Names of image pull Secrets in the Storefront's namespace.")
        public List<String> pullSecrets = new ArrayList<>();
    }

    public enum PullPolicy { Always, IfNotPresent, Never }

    /** One entry per service; each can be left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Services {
        public ServiceSpec auth = new ServiceSpec();
        public ServiceSpec catalog = new ServiceSpec();
        public ServiceSpec inventory = new ServiceSpec();
        public ServiceSpec cart = new ServiceSpec();
        public ServiceSpec order = new ServiceSpec();
        public ServiceSpec checkout = new ServiceSpec();
        public ServiceSpec payment = new ServiceSpec();
        public ServiceSpec notify = new ServiceSpec();
        public ServiceSpec analytics = new ServiceSpec();
        public ServiceSpec search = new ServiceSpec();
        public ServiceSpec web = new ServiceSpec();

        public ServiceSpec get(ShopService service) {
            ServiceSpec spec = switch (service) {
                case AUTH -> auth;
                case CATALOG -> catalog;
                case INVENTORY -> inventory;
                case CART -> cart;
                case ORDER -> order;
                case CHECKOUT -> checkout;
                case PAYMENT -> payment;
                case NOTIFY -> notify;
                case ANALYTICS -> analytics;
                case SEARCH -> search;
                case WEB -> web;
            };
            return spec == null ? new ServiceSpec() : spec;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ServiceSpec {
        @JsonPropertyDescription("Pod count when autoscaling is not set.")
        @Default("1")
        @Min(0)
        @Max(50)
        public Integer replicas = 1;
        @JsonPropertyDescription("CPU and memory; defaults: requests 100m/256Mi, limit 512Mi.")
        public ResourceRequirements resources;
        public Autoscaling autoscaling;
        @JsonPropertyDescription("Extra or overriding environment variables for this service's pods.")
        public List<EnvOverride> env = new ArrayList<>();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "self.minReplicas <= self.maxReplicas", message = "minReplicas must not exceed maxReplicas")
    public static class Autoscaling {
        @Default("1")
        @Min(1)
        @Max(100)
        public Integer minReplicas = 1;
        @Required
        @Min(1)
        @Max(100)
        public Integer maxReplicas;
        @JsonPropertyDescription("Average CPU utilisation (percent of requests) the autoscaler aims for.")
        @Default("70")
        @Min(1)
        @Max(100)
        public Integer targetCPUUtilizationPercentage = 70;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class EnvOverride {
        @Required
        @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
        public String name;
        public String value;

        public EnvOverride() {
        }

        public EnvOverride(String name, String value) {
            this.name = name;
            this.value = value;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "self.mode != 'External' || has(self.external)", message = "mode External needs database.external")
    public static class Database {
        @JsonPropertyDescription("InCluster: a single-node PostgreSQL StatefulSet (dev); External: an existing server; CloudNativePG: a CloudNativePG Cluster.")
        @Default("InCluster")
        public DatabaseMode mode = DatabaseMode.InCluster;
        @JsonPropertyDescription("Delete drops the databases and roles when the Storefront is deleted; Retain keeps them.")
        @Default("Retain")
        public ReclaimPolicy reclaimPolicy = ReclaimPolicy.Retain;
        @JsonPropertyDescription("Prefix of database and role names (<prefix>_<service>); defaults to <namespace>_<name>.")
        @Pattern("^[a-z][a-z0-9_]{0,39}$")
        public String namePrefix;
        public InClusterDatabase inCluster = new InClusterDatabase();
        public ExternalDatabase external;
        public CloudNativePgDatabase cloudNativePG = new CloudNativePgDatabase();
        @JsonPropertyDescription("CloudNativePG mode only: a ScheduledBackup of the Cluster; the Cluster's own backup stanza (object store or snapshot class) is the user's and is kept.")
        public Backup backup;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Backup {
        @JsonPropertyDescription("CloudNativePG cron schedule with seconds (\"0 0 2 * * *\": 02:00 daily) or a descriptor such as @daily.")
        @Required
        @Pattern("^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|@every [0-9a-z.]+|(\\S+\\s+){5}\\S+)$")
        public String schedule;
        @Default("barmanObjectStore")
        public BackupMethod method = BackupMethod.barmanObjectStore;
        @JsonPropertyDescription("Instance to back up from; CloudNativePG's default (the Cluster's) when empty.")
        public BackupTarget target;
        @JsonPropertyDescription("Also take a backup as soon as the ScheduledBackup is created.")
        @Default("false")
        public Boolean immediate = false;
        @Default("false")
        public Boolean suspend = false;
    }

    public enum BackupMethod { barmanObjectStore, volumeSnapshot }

    public enum BackupTarget {
        primary,
        @com.fasterxml.jackson.annotation.JsonProperty("prefer-standby") preferStandby
    }

    public enum DatabaseMode { InCluster, External, CloudNativePG }

    public enum ReclaimPolicy { Retain, Delete }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class InClusterDatabase {
        @Default("postgres:17")
        public String image = "postgres:17";
        @Default("1Gi")
        @Pattern(QUANTITY)
        public String storageSize = "1Gi";
        public String storageClassName;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ExternalDatabase {
        @Required
        @Pattern(HOSTNAME)
        public String host;
        @Default("5432")
        @Min(1)
        @Max(65535)
        public Integer port = 5432;
        @JsonPropertyDescription("libpq sslmode for the JDBC URLs.")
        @Default("require")
        @Pattern("^(disable|allow|prefer|require|verify-ca|verify-full)$")
        public String sslMode = "require";
        @JsonPropertyDescription("Secret with a role that may CREATE DATABASE and CREATE ROLE.")
        @Required
        public SecretKeys adminSecretRef;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class CloudNativePgDatabase {
        @Default("1")
        @Min(1)
        @Max(9)
        public Integer instances = 1;
        @Default("1Gi")
        @Pattern(QUANTITY)
        public String storageSize = "1Gi";
        public String storageClassName;
        @JsonPropertyDescription("PostgreSQL image; CloudNativePG's default when empty.")
        public String imageName;
    }

    /** A Secret name plus the keys to read from it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SecretKeys {
        @Required
        @Pattern(DNS_NAME)
        public String name;
        @Default("username")
        public String usernameKey = "username";
        @Default("password")
        public String passwordKey = "password";

        public SecretKeys() {
        }

        public SecretKeys(String name) {
            this.name = name;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "self.mode != 'External' || has(self.external)", message = "mode External needs messaging.external")
    public static class Messaging {
        @Default("InCluster")
        public MessagingMode mode = MessagingMode.InCluster;
        @JsonPropertyDescription("JetStream replicas of the event stream; in-cluster also the NATS server count (3 or 5: a JetStream cluster). Fixed at creation: a single server's volume cannot join a cluster.")
        @Default("1")
        @ValidationRule(value = "self == 1 || self == 3 || self == 5", message = "messaging.replicas must be 1, 3 or 5")
        @ValidationRule(value = "self == oldSelf", message = "messaging.replicas cannot be changed; make a new Storefront to move to a NATS cluster")
        public Integer replicas = 1;
        public InClusterNats inCluster = new InClusterNats();
        public ExternalNats external;
    }

    public enum MessagingMode { InCluster, External }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class InClusterNats {
        @Default("nats:2.11")
        public String image = "nats:2.11";
        @Default("1Gi")
        @Pattern(QUANTITY)
        public String storageSize = "1Gi";
        public String storageClassName;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ExternalNats {
        @Required
        @Pattern("^(nats|tls)://.+$")
        public String url;
        @JsonPropertyDescription("Secret whose key holds the full NATS URL with credentials; it replaces url when set.")
        public SecretKey credentialsSecretRef;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SecretKey {
        @Required
        @Pattern(DNS_NAME)
        public String name;
        @Required
        public String key;

        public SecretKey() {
        }

        public SecretKey(String name, String key) {
            this.name = name;
            this.key = key;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Gateway {
        @Required
        @Pattern(HOSTNAME)
        public String host;
        @JsonPropertyDescription("TLS Secret for host; the shop URL is https when set.")
        @Pattern(DNS_NAME)
        public String tlsSecretName;
        public String ingressClassName;
        @JsonPropertyDescription("Namespace of the ingress controller or gateway pods, let through the NetworkPolicy.")
        @Default("ingress-nginx")
        @Pattern(DNS_NAME)
        public String controllerNamespace = "ingress-nginx";
        @JsonPropertyDescription("Attach an HTTPRoute to this Gateway instead of making an Ingress.")
        public ParentRef parentRef;
        public RateLimit rateLimit;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ParentRef {
        @Required
        @Pattern(DNS_NAME)
        public String name;
        public String namespace;
        public String sectionName;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class RateLimit {
        @JsonPropertyDescription("Requests per second per client IP (ingress-nginx annotations).")
        @Required
        @Min(1)
        @Max(100000)
        public Integer requestsPerSecond;
        @Default("5")
        @Min(1)
        @Max(100)
        public Integer burstMultiplier = 5;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "self.provider != 'stripe' || has(self.secretRef)", message = "provider stripe needs payment.secretRef")
    public static class Payment {
        @Default("simulated")
        public PaymentProvider provider = PaymentProvider.simulated;
        @JsonPropertyDescription("Secret with the Stripe secret key and webhook signing secret.")
        public StripeSecret secretRef;
    }

    public enum PaymentProvider { simulated, stripe }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class StripeSecret {
        @Required
        @Pattern(DNS_NAME)
        public String name;
        @Default("secret-key")
        public String secretKeyKey = "secret-key";
        @Default("webhook-secret")
        public String webhookSecretKey = "webhook-secret";
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Mail {
        @JsonPropertyDescription("SMTP host; without it notify only records mails.")
        @Pattern(HOSTNAME)
        public String host;
        @Default("587")
        @Min(1)
        @Max(65535)
        public Integer port = 587;
        @Default("shop@storefront.local")
        @Pattern("^[^@\\s]+@[^@\\s]+$")
        public String from = "shop@storefront.local";
        @Default("true")
        public Boolean tls = true;
        @JsonPropertyDescription("Secret with the SMTP username and password.")
        public SecretKeys secretRef;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ObjectStorage {
        @JsonPropertyDescription("S3 endpoint, e.g. https://minio.storage:9000; without it AWS S3 of the region.")
        @Pattern("^https?://[^\\s/]+/?$")
        public String endpoint;
        @Required
        @JsonPropertyDescription("Bucket the image variants are written to (it must exist).")
        @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
        public String bucket;
        @Default("us-east-1")
        @Pattern("^[a-z0-9-]{1,32}$")
        public String region = "us-east-1";
        @JsonPropertyDescription("Path-style addressing (MinIO, Ceph, S3Proxy); false for AWS's virtual-hosted buckets.")
        @Default("true")
        public Boolean pathStyle = true;
        @JsonPropertyDescription("A CDN or public bucket URL: image routes redirect there instead of streaming through catalog.")
        @Pattern("^https?://[^\\s]+$")
        public String publicBaseUrl;
        @JsonPropertyDescription("Above 0: image routes redirect to presigned GET URLs valid this many seconds.")
        @Min(0)
        @Max(604800)
        public Integer presignSeconds;
        @JsonPropertyDescription("Secret with the access key and secret key; without it the SDK's default chain (e.g. a pod identity).")
        public ObjectStorageSecret credentialsSecretRef;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ObjectStorageSecret {
        @Required
        @Pattern(DNS_NAME)
        public String name;
        @Default("access-key")
        public String accessKeyKey = "access-key";
        @Default("secret-key")
        public String secretKeyKey = "secret-key";
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Admin {
        @JsonPropertyDescription("E-mail of the first admin; the operator generates the password into <name>-admin.")
        @Default("admin@storefront.local")
        @Pattern("^[^@\\s]+@[^@\\s]+$")
        public String email = "admin@storefront.local";
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Monitoring {
        @JsonPropertyDescription("Namespace of the Prometheus that scrapes the services' /observe/metrics; the NetworkPolicies let it in.")
        @Pattern(DNS_NAME)
        public String namespace;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Observability {
        @JsonPropertyDescription("OTLP/HTTP collector the services send traces to, e.g. http://otel-collector.observability:4318; without it tracing is off.")
        @Pattern("^https?://[^\\s/]+(/[^\\s]*)?$")
        public String otlpEndpoint;
        @JsonPropertyDescription("Share of new traces that are sampled, 0 to 1; a sampled caller's decision is followed.")
        @Default("1.0")
        @Min(0)
        @Max(1)
        public Double samplingRatio = 1.0;
    }
}
