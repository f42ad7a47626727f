#!/usr/bin/env bash
# make demo: start the built-in sandbox (AWS + Kubernetes emulators) in the background, deploy the example AWS config
# with the compiled nic, deploy again (0 changes), and print the status and the outputs. `make demo-stop` stops the sandbox.
# PROVIDER=existing deploys fixtures/configs/demo-existing.yaml on the sandbox's standalone Kubernetes cluster instead;
# PROVIDER=azure deploys fixtures/configs/demo-azure.yaml (AKS) on the sandbox's ARM endpoint.
# PROVIDER=gcp deploys fixtures/configs/demo-gcp.yaml (GKE) on the sandbox's GCP endpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
demo=.demo
mkdir -p "$demo"

if [ -f "$demo/sandbox.pid" ] && kill -0 "$(cat "$demo/sandbox.pid")" 2>/dev/null; then
  echo "== sandbox already running (pid $(cat "$demo/sandbox.pid"))"
else
  echo "== starting the sandbox"
  rm -f "$demo/sandbox.env"
  node_modules/.bin/bun sandbox/main.ts --kubeconfig "$demo/sandbox.kubeconfig" > "$demo/sandbox.env" 2> "$demo/sandbox.log" &
  echo $! > "$demo/sandbox.pid"
  for _ in $(seq 1 100); do grep -q NIC_SANDBOX_CONTROL "$demo/sandbox.env" 2>/dev/null && break; sleep 0.1; done
  grep -q NIC_SANDBOX_CONTROL "$demo/sandbox.env" || { echo "the sandbox did not start; see $demo/sandbox.log"; exit 1; }
fi
# shellcheck disable=SC1091
source "$demo/sandbox.env"
provider=${PROVIDER:-aws}
work=$demo
if [ "$provider" = existing ]; then work=$demo/existing; export KUBECONFIG="$NIC_SANDBOX_KUBECONFIG"; fi
if [ "$provider" = azure ]; then work=$demo/azure; fi
if [ "$provider" = gcp ]; then work=$demo/gcp; fi
mkdir -p "$work"
cp "fixtures/configs/demo-$provider.yaml" "$work/nebari-config.yaml"

echo "== nic deploy (first run creates everything)"
dist/nic deploy -f "$work/nebari-config.yaml"
echo
echo "== nic deploy --dry-run --detailed-exitcode (second run: no changes expected)"
dist/nic deploy -f "$work/nebari-config.yaml" --dry-run --detailed-exitcode | tail -3
echo
echo "== nic status"
dist/nic status -f "$work/nebari-config.yaml"
echo
stage="$work/.nebari/stages/02-infrastructure"
echo "== outputs ($stage/outputs.json)"
node -e 'const o = require(process.argv[1]); for (const k of ["kubernetes_credentials", "kubeconfig_filename", "nfs_endpoint", "cluster_oidc_issuer_url", "oidc_provider_arn", "cluster_autoscaler_role_arn", "resource_group_name", "project_id"]) if (o[k] && (k !== "kubernetes_credentials" || o.provider === "existing")) console.log(`  ${k}: ${JSON.stringify(o[k].value)}`); console.log(`  node_selectors: ${JSON.stringify(o.node_selectors)}`)' "$PWD/$stage/outputs.json"
echo
echo "The sandbox keeps running. Try:"
if [ "$provider" = existing ]; then echo "  source $demo/sandbox.env && kubectl --kubeconfig \$NIC_SANDBOX_KUBECONFIG get ns,crd"
else echo "  source $demo/sandbox.env && kubectl --kubeconfig $stage/kubeconfig get ns,crd,deploy -A"; fi
if [ "$provider" = gcp ]; then echo "  source $demo/sandbox.env && CLOUDSDK_CONFIG=$demo/gcloud gcloud container node-pools list --cluster nicdemo-dev --region us-central1"; fi
if [ "$provider" = azure ]; then echo "  source $demo/sandbox.env && sandbox/scripts/az-login && az aks nodepool list -g nic-demo-dev --cluster-name nica2Ddemo-dev -o table"; fi
echo "Stop it with: make demo-stop"
