package dev.storefront.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD as generated from the Java types: the checked-in copies match it, and its schema accepts the examples
 * and rejects bad Storefronts (checked with a JSON Schema validator, as the API server would).
 */
class CrdTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String FIX = "the checked-in CRD differs from the one generated from the Java types; run "
            + "`mvn -pl operator -Pupdate-crds process-classes` and commit crds/ and charts/storefront-operator/files/crds/";
    private static JsonNode version;
    private static JsonSchema schema;

    @BeforeAll
    static void loadGeneratedCrd() throws Exception {
        JsonNode crd = YAML.readTree(TestSupport.generatedCrd().toFile());
        version = crd.at("/spec/versions/0");
        JsonNode openApi = version.at("/schema/openAPIV3Schema");
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApi);
    }

    @Test
    void checkedInCrdsAreTheGeneratedOnes() throws Exception {
        String generated = Files.readString(TestSupport.generatedCrd());
        String file = TestSupport.generatedCrd().getFileName().toString();
        assertThat(Files.readString(TestSupport.repoRoot().resolve("crds").resolve(file))).as(FIX).isEqualTo(generated);
        assertThat(Files.readString(TestSupport.repoRoot().resolve("charts/storefront-operator/files/crds").resolve(file)))
                .as(FIX).isEqualTo(generated);
    }

    @Test
    void crdIsNamespacedWithShortNameStatusSubresourceAndPrinterColumns() {
        JsonNode crd = version.findParent("additionalPrinterColumns");
        assertThat(version.at("/name").asText()).isEqualTo(Storefront.VERSION);
        assertThat(version.at("/subresources/status").isObject()).isTrue();
        var columns = version.at("/additionalPrinterColumns");
        assertThat(columns.findValuesAsText("name")).contains("Ready", "URL", "Age");
        assertThat(columns.toString()).contains(".status.conditions[?(@.type==\\\"Ready\\\")].status");
        assertThat(crd).isNotNull();
    }

    @Test
    void examplesAndAnEmptySpecAreValid() throws Exception {
        for (String example : new String[]{"kind-dev.yaml", "production.yaml"}) {
            assertThat(errors(YAML.readTree(TestSupport.repoRoot().resolve("examples").resolve(example).toFile())))
                    .as(example).isEmpty();
        }
        assertThat(errors(storefront("{}"))).isEmpty();
    }

    @Test
    void negativeReplicasAreRejected() throws Exception {
        assertThat(errors(storefront("{\"services\": {\"cart\": {\"replicas\": -1}}}")))
                .anySatisfy(m -> assertThat(m.getInstanceLocation().toString()).contains("replicas"));
    }

    @Test
    void anUnknownPaymentProviderIsRejected() throws Exception {
        assertThat(errors(storefront("{\"payment\": {\"provider\": \"paypal\"}}")))
                .anySatisfy(m -> assertThat(m.getMessage()).contains("enum"));
    }

    @Test
    void otherBadValuesAreRejected() throws Exception {
        assertThat(errors(storefront("{\"services\": {\"cart\": {\"autoscaling\": {\"minReplicas\": 2}}}}")))
                .as("maxReplicas required").isNotEmpty();
        assertThat(errors(storefront("{\"services\": {\"cart\": {\"autoscaling\": {\"minReplicas\": 0, \"maxReplicas\": 2}}}}")))
                .as("minimum 1").isNotEmpty();
        assertThat(errors(storefront("{\"database\": {\"mode\": \"Oracle\"}}"))).as("database mode enum").isNotEmpty();
        assertThat(errors(storefront("{\"database\": {\"reclaimPolicy\": \"Shred\"}}"))).as("reclaim enum").isNotEmpty();
        assertThat(errors(storefront("{\"database\": {\"mode\": \"External\", \"external\": {\"host\": \"db\", "
                + "\"port\": 70000, \"adminSecretRef\": {\"name\": \"a\"}}}}"))).as("port maximum").isNotEmpty();
        assertThat(errors(storefront("{\"gateway\": {\"host\": \"Not A Host\"}}"))).as("host pattern").isNotEmpty();
        assertThat(errors(storefront("{\"messaging\": {\"mode\": \"External\", \"external\": {\"url\": \"http://x\"}}}")))
                .as("nats url pattern").isNotEmpty();
    }

    @Test
    void minAboveMaxIsRejectedByACelRuleAndReportedByTheOperator() throws Exception {
        // CEL (x-kubernetes-validations) runs in the API server only; check the rule is there ...
        JsonNode autoscaling = version.at("/schema/openAPIV3Schema/properties/spec/properties/services/properties/cart/properties/autoscaling");
        assertThat(autoscaling.at("/x-kubernetes-validations/0/rule").asText()).isEqualTo("self.minReplicas <= self.maxReplicas");
        // ... and the operator's own check, which puts it in the status (see StorefrontOperatorTest)
        Storefront sf = new Storefront();
        sf.getMetadata().setName("x");
        sf.getSpec().services.cart.autoscaling = new StorefrontSpec.Autoscaling();
        sf.getSpec().services.cart.autoscaling.minReplicas = 5;
        sf.getSpec().services.cart.autoscaling.maxReplicas = 2;
        assertThat(StorefrontReconciler.specProblems(sf)).singleElement().asString()
                .contains("services.cart.autoscaling.minReplicas (5) exceeds maxReplicas (2)");
    }

    @Test
    void changesThatWouldStrandDataAreRefusedByTheSchemasTransitionRules() throws Exception {
        // the rules as generated into the CRD, evaluated with cel-java the way the API server runs them on an update
        JsonNode rules = version.at("/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations");
        assertThat(rules.findValuesAsText("rule")).anySatisfy(r -> assertThat(r).contains("oldSelf.database.mode"))
                .anySatisfy(r -> assertThat(r).contains("oldSelf.database.namePrefix"))
                .anySatisfy(r -> assertThat(r).contains("oldSelf.database.inCluster"));

        assertThat(refusedUpdate(rules, "{}", "{\"database\": {\"mode\": \"External\"}}")).singleElement().asString()
                .contains("database.mode cannot be changed");
        assertThat(refusedUpdate(rules, "{\"database\": {\"mode\": \"External\"}}",
                "{\"database\": {\"mode\": \"CloudNativePG\"}}")).hasSize(1);
        assertThat(refusedUpdate(rules, "{\"database\": {\"namePrefix\": \"shop\"}}",
                "{\"database\": {\"namePrefix\": \"shop2\"}}")).singleElement().asString().contains("namePrefix");
        assertThat(refusedUpdate(rules, "{\"database\": {\"namePrefix\": \"shop\"}}", "{\"database\": {}}")).hasSize(1);
        assertThat(refusedUpdate(rules, "{}", "{\"database\": {\"inCluster\": {\"storageClassName\": \"fast\"}}}"))
                .singleElement().asString().contains("storageClassName");
        assertThat(refusedUpdate(rules, "{\"database\": {\"inCluster\": {\"storageSize\": \"1Gi\"}}}",
                "{\"database\": {\"inCluster\": {\"storageSize\": \"5Gi\"}}}")).hasSize(1);

        // what stays allowed: the same values spelled out, and changes that touch no data
        assertThat(refusedUpdate(rules, "{}", "{\"database\": {\"mode\": \"InCluster\", \"inCluster\": {\"storageSize\": \"1Gi\"}}}")).isEmpty();
        assertThat(refusedUpdate(rules, "{\"database\": {\"mode\": \"External\", \"namePrefix\": \"shop\"}}",
                "{\"database\": {\"mode\": \"External\", \"namePrefix\": \"shop\", \"reclaimPolicy\": \"Delete\"},"
                        + " \"version\": \"0.2.0\"}")).isEmpty();
        assertThat(refusedUpdate(rules, "{}", "{\"database\": {\"inCluster\": {\"image\": \"postgres:17.2\"}}}")).isEmpty();
    }

    /** The messages of the transition rules an update from oldSpec to newSpec breaks. */
    private static java.util.List<String> refusedUpdate(JsonNode rules, String oldSpec, String newSpec) throws Exception {
        var mapper = new ObjectMapper();
        Object oldSelf = mapper.readValue(oldSpec, java.util.Map.class);
        Object self = mapper.readValue(newSpec, java.util.Map.class);
        var compiler = dev.cel.compiler.CelCompilerFactory.standardCelCompilerBuilder()
                .addVar("self", dev.cel.common.types.SimpleType.DYN)
                .addVar("oldSelf", dev.cel.common.types.SimpleType.DYN)
                .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS).build();
        var runtime = dev.cel.runtime.CelRuntimeFactory.standardCelRuntimeBuilder().build();
        var refused = new java.util.ArrayList<String>();
        for (JsonNode rule : rules) {
            var program = runtime.createProgram(compiler.compile(rule.get("rule").asText()).getAst());
            if (!Boolean.TRUE.equals(program.eval(java.util.Map.of("self", self, "oldSelf", oldSelf)))) {
                refused.add(rule.get("message").asText());
            }
        }
        return refused;
    }

    private static JsonNode storefront(String specJson) throws Exception {
        ObjectNode sf = YAML.createObjectNode();
        sf.put("apiVersion", "storefront.dev/v1alpha1");
        sf.put("kind", "Storefront");
        sf.putObject("metadata").put("name", "test");
        sf.set("spec", new ObjectMapper().readTree(specJson));
        return sf;
    }

    private static Set<ValidationMessage> errors(JsonNode storefront) {
        return schema.validate(storefront);
    }

}
