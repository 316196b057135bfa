#!/usr/bin/env bash
# Storefront on a local kind cluster, end to end (operator/README-kind.md explains each step):
#   1. a kind cluster with port 80 mapped to this machine, the Gateway API CRDs and NGINX Gateway Fabric
#   2. every image built by Jib straight into the local Docker daemon (jib:dockerBuild) and loaded into kind
#   3. the operator's chart installed, the dev Storefront applied, and a wait for its Ready condition
#
#   scripts/kind-up.sh            then open http://storefront.localtest.me
#   scripts/kind-up.sh --down     delete the cluster
#
# Needs: Docker, kind, kubectl, Helm 3, a JDK 21+, Maven 3.8+, Node.js 20+ with npm (the web UI build).
# It cannot run on the development machines (no Docker engine there); ImagesManifestsTest keeps the names it uses
# in step with the build, the chart, the CRD defaults and examples/kind-dev.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER=${KIND_CLUSTER:-storefront}
# the image names every manifest uses: <registry>/storefront-<module>:<tag>, never pulled (kind has them loaded)
REGISTRY=ghcr.io/storefront-dev
TAG=dev
PULL_POLICY=Never
MODULES=(auth catalog inventory cart order checkout payment notify analytics search web operator)
GATEWAY_API_VERSION=v1.3.0
NGF_VERSION=2.1.0

if [ "${1:-}" = "--down" ]; then
  exec kind delete cluster --name "$CLUSTER"
fi

for tool in docker kind kubectl helm mvn node npm; do
  command -v "$tool" >/dev/null || { echo "kind-up: $tool is needed (see operator/README-kind.md, Prerequisites)" >&2; exit 1; }
done
source scripts/env.sh
sf_find_java

# 1. cluster + Gateway API + a Gateway controller
if ! kind get clusters | grep -qx "$CLUSTER"; then
  cat <<'YAML' | kind create cluster --name "$CLUSTER" --config=-
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
    extraPortMappings:
      # NGINX Gateway Fabric's NodePort for the Gateway's port 80
      - {containerPort: 31437, hostPort: 80, protocol: TCP}
YAML
fi
kubectl apply --server-side -f "https://github.com/kubernetes-sigs/gateway-api/releases/download/$GATEWAY_API_VERSION/standard-install.yaml"
helm upgrade --install ngf oci://ghcr.io/nginx/charts/nginx-gateway-fabric --version "$NGF_VERSION" \
  --namespace nginx-gateway --create-namespace \
  --set nginx.service.type=NodePort \
  --set-json 'nginx.service.nodePorts=[{"port":31437,"listenerPort":80}]' --wait

# 2. images: Jib into the Docker daemon (same configuration as target/jib-image.tar), then into kind
pl=$(printf 'services/%s,' "${MODULES[@]:0:9}")operator
mvn -B -ntp -DskipTests -Dimage.skipRebuild=true -Dimage.registry="$REGISTRY" -Dimage.tag="$TAG" \
  -Dimage.revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)" -Dimage.docker=package \
  -pl "$pl" -am package
for module in "${MODULES[@]}"; do
  kind load docker-image --name "$CLUSTER" "$REGISTRY/storefront-$module:$TAG"
done

# 3. operator, the shop's namespace with its Gateway, the Storefront
helm upgrade --install storefront-operator charts/storefront-operator \
  --namespace storefront-system --create-namespace \
  --set image.repository="$REGISTRY/storefront-operator" --set image.tag="$TAG" --set image.pullPolicy="$PULL_POLICY" --wait
kubectl create namespace storefront --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -f examples/kind-gateway.yaml
kubectl apply -f examples/kind-dev.yaml
kubectl -n storefront wait --for=condition=Ready storefront/storefront --timeout=10m
kubectl -n storefront get storefront storefront
echo "kind-up: the shop is at http://storefront.localtest.me"
