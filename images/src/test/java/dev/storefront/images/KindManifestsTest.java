package dev.storefront.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/kind-up.sh cannot run here (no Docker engine): this keeps it true. Every image the script loads, the chart
 * and the kind example name is one the build produces, with one registry, tag and pull policy throughout; the CRD's
 * default registry is the build's; the chart renders with the script's values. (CrdTest in the operator module
 * validates the examples against the CRD schema.)
 */
class KindManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = Images.repoRoot();

    private static String scriptValue(String script, String name) {
        var m = Pattern.compile("(?m)^" + name + "=(\\S+)$").matcher(script);
        assertThat(m.find()).as("scripts/kind-up.sh sets " + name).isTrue();
        return m.group(1);
    }

    @Test
    void theScriptTheChartTheCrdAndTheExamplesNameTheImagesTheBuildProduces() throws Exception {
        String script = Files.readString(ROOT.resolve("scripts/kind-up.sh"));
        String registry = scriptValue(script, "REGISTRY");
        String tag = scriptValue(script, "TAG");
        String pullPolicy = scriptValue(script, "PULL_POLICY");
        var modules = Pattern.compile("(?m)^MODULES=\\(([^)]*)\\)$").matcher(script);
        assertThat(modules.find()).isTrue();
        List<String> loaded = Arrays.stream(modules.group(1).trim().split("\\s+")).map(m -> "storefront-" + m).toList();

        // the build: every runnable module's image, under the parent POM's registry
        List<String> built = Images.all().values().stream()
                .map(i -> i.name().substring(i.name().lastIndexOf('/') + 1, i.name().lastIndexOf(':'))).toList();
        assertThat(loaded).containsExactlyInAnyOrderElementsOf(built);
        assertThat(registry).isEqualTo(System.getProperty("image.registry"));
        assertThat(script).contains("-Dimage.registry=\"$REGISTRY\" -Dimage.tag=\"$TAG\"", "-Dimage.docker=package",
                "kind load docker-image --name \"$CLUSTER\" \"$REGISTRY/storefront-$module:$TAG\"");

        // the Storefront the script applies pulls nothing and names the loaded images
        JsonNode kind = YAML.readTree(ROOT.resolve("examples/kind-dev.yaml").toFile());
        JsonNode image = kind.path("spec").path("image");
        assertThat(image.path("registry").asText()).isEqualTo(registry);
        assertThat(image.path("tag").asText()).isEqualTo(tag);
        assertThat(image.path("pullPolicy").asText()).isEqualTo(pullPolicy).isEqualTo("Never");
        // the Gateway API is the way in, on the Gateway the script applies
        JsonNode gateway = YAML.readTree(ROOT.resolve("examples/kind-gateway.yaml").toFile());
        assertThat(kind.path("spec").path("gateway").path("parentRef").path("name").asText())
                .isEqualTo(gateway.path("metadata").path("name").asText());
        assertThat(gateway.path("metadata").path("namespace").asText()).isEqualTo(kind.path("metadata").path("namespace").asText());
        assertThat(gateway.path("spec").path("listeners").get(0).path("hostname").asText())
                .isEqualTo(kind.path("spec").path("gateway").path("host").asText());
        assertThat(script).contains("kubectl apply -f examples/kind-gateway.yaml", "kubectl apply -f examples/kind-dev.yaml");

        // the CRD's default registry and the production example are the build's registry
        JsonNode crd = YAML.readTree(ROOT.resolve("crds/storefronts.storefront.dev-v1.yml").toFile());
        JsonNode imageSchema = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema")
                .path("properties").path("spec").path("properties").path("image").path("properties");
        assertThat(imageSchema.path("registry").path("default").asText()).isEqualTo(registry);
        assertThat(YAML.readTree(ROOT.resolve("examples/production.yaml").toFile()).path("spec").path("image")
                .path("registry").asText()).isEqualTo(registry);

        // the chart, with the values the script gives it, runs the loaded operator image and never pulls it
        JsonNode values = YAML.readTree(ROOT.resolve("charts/storefront-operator/values.yaml").toFile());
        assertThat(values.path("image").path("repository").asText()).isEqualTo(registry + "/storefront-operator");
        assertThat(script).contains("--set image.repository=\"$REGISTRY/storefront-operator\" --set image.tag=\"$TAG\" "
                + "--set image.pullPolicy=\"$PULL_POLICY\"");
        String rendered = new Helm(ROOT.resolve("charts/storefront-operator")).template().withName("storefront-operator")
                .withNamespace("storefront-system").withKubeVersion("1.31.0")
                .set("image.repository", registry + "/storefront-operator").set("image.tag", tag)
                .set("image.pullPolicy", pullPolicy).call();
        var serialization = new KubernetesSerialization();
        Deployment operator = Arrays.stream(rendered.split("(?m)^---\\s*$")).filter(d -> d.contains("kind: Deployment"))
                .map(d -> serialization.unmarshal(d, HasMetadata.class)).map(Deployment.class::cast).findFirst().orElseThrow();
        var container = operator.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getImage()).isEqualTo(registry + "/storefront-operator:" + tag);
        assertThat(container.getImagePullPolicy()).isEqualTo("Never");
    }
}
