// The GCP sandbox: GKE (container v1), IAM service accounts, Cloud Resource Manager policies, Artifact Registry, Compute
// zones and Service Usage on one port, in Google's REST shapes, for gcloud (`api_endpoint_overrides`) and NIC alike.
// Resources live in the shared World (inventory, /mutate, /seed, state file); faults and the call log are the shared ones.
import type { CallLog } from "../calls.ts";
import type { Faults } from "../faults.ts";
import { AwsError } from "../protocols/errors.ts";
import type { World } from "../world.ts";
import { getArtifactOperation, isArtifactOperation, repositories } from "./artifacts.ts";
import { createCluster, deleteCluster, getCluster, listClusters, renderCluster, setResourceLabels, settleClusters, stopKube, updateCluster } from "./clusters.ts";
import { acceleratorTypes, listRegions, machineTypes } from "./catalog.ts";
import { firewalls, forwardingRules, getComputeOperation, httpHealthChecks, listZones, targetPools } from "./compute.ts";
import { GCP_DELAYS, type GcpContext, type GcpDelays } from "./context.ts";
import { compile, enumNames, errorResponse, GcpError, HTTP_STATUS, type EnumTable, type Route } from "./http.ts";
import { policies, project, serviceAccounts } from "./iam.ts";
import { createNodePool, deleteNodePool, getNodePool, listNodePools, settleNodePools, updateNodePool } from "./node-pools.ts";
import { getOperation, listOperations } from "./operations.ts";
import { serverConfig } from "./server-config.ts";

export { GCP_DELAYS } from "./context.ts";
export { PROJECT_OWNER } from "./iam.ts";

/** The project gcloud is pointed at by default (`CLOUDSDK_CORE_PROJECT`); any project id works. */
export const SANDBOX_PROJECT = "nebari-sandbox";

/** GAPIC's REST transport sends enums as integers (proto order); gcloud sends names. */
const ENUMS: Record<string, EnumTable> = {
  container: {
    effect: ["EFFECT_UNSPECIFIED", "NO_SCHEDULE", "PREFER_NO_SCHEDULE", "NO_EXECUTE"],
    channel: ["UNSPECIFIED", "RAPID", "REGULAR", "STABLE", "EXTENDED"],
  },
  artifactregistry: {
    format: ["FORMAT_UNSPECIFIED", "DOCKER", "MAVEN", "NPM", "", "APT", "YUM", "", "PYTHON", "KFP", "GO", "GENERIC"],
    mode: ["MODE_UNSPECIFIED", "STANDARD_REPOSITORY", "VIRTUAL_REPOSITORY", "REMOTE_REPOSITORY"],
  },
};

const GKE = "/v1/projects/{project}/locations/{location}";
const CLUSTER = `${GKE}/clusters/{cluster}`;
const POOL = `${CLUSTER}/nodePools/{pool}`;

function routes(ctx: GcpContext): Route[] {
  const c = (action: string, method: string, path: string, run: Route["run"]): Route => ({ service: "container", action, method, path, run });
  const svc = (service: string) => (action: string, method: string, path: string, run: Route["run"]): Route => ({ service, action, method, path, run });
  const iam = svc("iam");
  const crm = svc("cloudresourcemanager");
  const ar = svc("artifactregistry");
  const compute = svc("compute");
  return [
    c("GetServerConfig", "GET", `${GKE}/serverConfig`, () => serverConfig()),
    c("ListClusters", "GET", `${GKE}/clusters`, ({ params: p }) => listClusters(ctx, p.project!, p.location!)),
    c("CreateCluster", "POST", `${GKE}/clusters`, ({ params: p, body }) => createCluster(ctx, p.project!, p.location!, body)),
    c("GetCluster", "GET", CLUSTER, ({ params: p }) => renderCluster(ctx, getCluster(ctx, p.project!, p.location!, p.cluster!))),
    c("UpdateCluster", "PUT", CLUSTER, ({ params: p, body }) => updateCluster(ctx, p.project!, p.location!, p.cluster!, body)),
    c("DeleteCluster", "DELETE", CLUSTER, ({ params: p }) => deleteCluster(ctx, p.project!, p.location!, p.cluster!)),
    c("SetLabels", "POST", `${CLUSTER}:setResourceLabels`, ({ params: p, body }) => setResourceLabels(ctx, p.project!, p.location!, p.cluster!, body)),
    c("ListNodePools", "GET", `${CLUSTER}/nodePools`, ({ params: p }) => listNodePools(ctx, p.project!, p.location!, p.cluster!)),
    c("CreateNodePool", "POST", `${CLUSTER}/nodePools`, ({ params: p, body }) => createNodePool(ctx, p.project!, p.location!, p.cluster!, body)),
    c("GetNodePool", "GET", POOL, ({ params: p }) => getNodePool(ctx, p.project!, p.location!, p.cluster!, p.pool!)),
    c("UpdateNodePool", "PUT", POOL, ({ params: p, body }) => updateNodePool(ctx, p.project!, p.location!, p.cluster!, p.pool!, body)),
    c("DeleteNodePool", "DELETE", POOL, ({ params: p }) => deleteNodePool(ctx, p.project!, p.location!, p.cluster!, p.pool!)),
    ...[["setAutoscaling", "SetNodePoolAutoscaling"], ["setManagement", "SetNodePoolManagement"], ["setSize", "SetNodePoolSize"]].map(([verb, action]) =>
      c(action!, "POST", `${POOL}:${verb}`, ({ params: p, body }) => updateNodePool(ctx, p.project!, p.location!, p.cluster!, p.pool!, body, verb))),
    c("ListOperations", "GET", `${GKE}/operations`, ({ params: p }) => listOperations(ctx, p.project!, p.location!)),
    // GKE and Artifact Registry operations share this path; GKE's are named operation-….
    { service: "container", action: "GetOperation", method: "GET", path: `${GKE}/operations/{operation}`, run: ({ params: p }) =>
      isArtifactOperation(p.operation!) ? getArtifactOperation(p.project!, p.location!, p.operation!) : getOperation(ctx, p.project!, p.operation!) },

    ar("ListRepositories", "GET", `${GKE}/repositories`, ({ params: p }) => repositories.list(ctx, p.project!, p.location!)),
    ar("CreateRepository", "POST", `${GKE}/repositories`, ({ params: p, url, body }) => repositories.create(ctx, p.project!, p.location!, url, body)),
    ar("GetRepository", "GET", `${GKE}/repositories/{repository}`, ({ params: p }) => repositories.get(ctx, p.project!, p.location!, p.repository!)),
    ar("UpdateRepository", "PATCH", `${GKE}/repositories/{repository}`, ({ params: p, url, body }) => repositories.patch(ctx, p.project!, p.location!, p.repository!, url, body)),
    ar("DeleteRepository", "DELETE", `${GKE}/repositories/{repository}`, ({ params: p }) => repositories.delete(ctx, p.project!, p.location!, p.repository!)),

    iam("ListServiceAccounts", "GET", "/v1/projects/{project}/serviceAccounts", ({ params: p }) => serviceAccounts.list(ctx, p.project!)),
    iam("CreateServiceAccount", "POST", "/v1/projects/{project}/serviceAccounts", ({ params: p, body }) => serviceAccounts.create(ctx, p.project!, body)),
    iam("GetServiceAccount", "GET", "/v1/projects/{project}/serviceAccounts/{account}", ({ params: p }) => serviceAccounts.get(ctx, p.project!, p.account!)),
    iam("PatchServiceAccount", "PATCH", "/v1/projects/{project}/serviceAccounts/{account}", ({ params: p, body }) => serviceAccounts.patch(ctx, p.project!, p.account!, body)),
    iam("DeleteServiceAccount", "DELETE", "/v1/projects/{project}/serviceAccounts/{account}", ({ params: p }) => serviceAccounts.delete(ctx, p.project!, p.account!)),

    ...(["v1", "v3"] as const).flatMap((v) => [
      crm("GetProject", "GET", `/${v}/projects/{project}`, ({ params: p }) => project(p.project!, v)),
      crm("GetIamPolicy", "POST", `/${v}/projects/{project}:getIamPolicy`, ({ params: p }) => policies.get(ctx, p.project!)),
      crm("SetIamPolicy", "POST", `/${v}/projects/{project}:setIamPolicy`, ({ params: p, body }) => policies.set(ctx, p.project!, body)),
    ]),

    compute("ListZones", "GET", "/compute/v1/projects/{project}/zones", ({ params: p, url }) => listZones(p.project!, url)),
    // The catalogue `nic validate --online` reads (catalog.ts).
    compute("ListRegions", "GET", "/compute/v1/projects/{project}/regions", ({ params: p }) => listRegions(p.project!)),
    compute("ListMachineTypes", "GET", "/compute/v1/projects/{project}/zones/{zone}/machineTypes", ({ params: p }) => machineTypes.list(p.project!, p.zone!)),
    compute("GetMachineType", "GET", "/compute/v1/projects/{project}/zones/{zone}/machineTypes/{name}", ({ params: p }) => machineTypes.get(p.project!, p.zone!, p.name!)),
    compute("ListAcceleratorTypes", "GET", "/compute/v1/projects/{project}/zones/{zone}/acceleratorTypes", ({ params: p }) => acceleratorTypes.list(p.project!, p.zone!)),
    compute("GetAcceleratorType", "GET", "/compute/v1/projects/{project}/zones/{zone}/acceleratorTypes/{name}", ({ params: p }) => acceleratorTypes.get(p.project!, p.zone!, p.name!)),
    compute("ListForwardingRules", "GET", "/compute/v1/projects/{project}/regions/{region}/forwardingRules", ({ params: p }) => forwardingRules.list(ctx, p.project!, p.region!)),
    compute("DeleteForwardingRule", "DELETE", "/compute/v1/projects/{project}/regions/{region}/forwardingRules/{name}", ({ params: p }) => forwardingRules.delete(ctx, p.project!, p.region!, p.name!)),
    compute("ListTargetPools", "GET", "/compute/v1/projects/{project}/regions/{region}/targetPools", ({ params: p }) => targetPools.list(ctx, p.project!, p.region!)),
    compute("DeleteTargetPool", "DELETE", "/compute/v1/projects/{project}/regions/{region}/targetPools/{name}", ({ params: p }) => targetPools.delete(ctx, p.project!, p.region!, p.name!)),
    compute("GetRegionOperation", "GET", "/compute/v1/projects/{project}/regions/{region}/operations/{name}", ({ params: p }) => getComputeOperation(p.project!, `regions/${p.region}`, p.name!)),
    compute("GetGlobalOperation", "GET", "/compute/v1/projects/{project}/global/operations/{name}", ({ params: p }) => getComputeOperation(p.project!, "global", p.name!)),
    compute("ListHttpHealthChecks", "GET", "/compute/v1/projects/{project}/global/httpHealthChecks", ({ params: p }) => httpHealthChecks.list(ctx, p.project!)),
    compute("DeleteHttpHealthCheck", "DELETE", "/compute/v1/projects/{project}/global/httpHealthChecks/{name}", ({ params: p }) => httpHealthChecks.delete(ctx, p.project!, p.name!)),
    compute("ListFirewalls", "GET", "/compute/v1/projects/{project}/global/firewalls", ({ params: p }) => firewalls.list(ctx, p.project!)),
    compute("DeleteFirewall", "DELETE", "/compute/v1/projects/{project}/global/firewalls/{name}", ({ params: p }) => firewalls.delete(ctx, p.project!, p.name!)),

    svc("serviceusage")("GetService", "GET", "/v1/projects/{project}/services/{service}", ({ params: p }) => ({ name: `projects/${p.project}/services/${p.service}`, state: "ENABLED" })),
  ];
}

export interface GcpEmulator {
  fetch(req: Request): Promise<Response>;
  /** Advance GKE transitions (the control API calls this before inventory and dump). */
  settle(): void;
  /** Stop the clusters' Kubernetes APIs (control reset, sandbox stop). */
  stopKubeApis(): Promise<void>;
  /** Exports for gcloud and NIC, given where this emulator and Cloud Storage listen. */
  env(gcpEndpoint: string, storageEndpoint: string): Record<string, string>;
  context: GcpContext;
}

export function createGcpEmulator(opts: { world: World; faults: Faults; calls: CallLog }): GcpEmulator {
  const { world, faults, calls } = opts;
  Object.assign(world.delays, { ...GCP_DELAYS, ...world.delays });
  const ctx: GcpContext = {
    world,
    delays: () => world.delays as unknown as GcpDelays,
    operations: new Map(),
    kubeApis: new Map(),
    accessToken: `ya29.sandbox-${crypto.randomUUID().replaceAll("-", "")}`,
  };
  const find = compile(routes(ctx));
  const settle = () => {
    const now = Date.now();
    settleClusters(ctx, now);
    settleNodePools(ctx, now);
  };

  async function handle(req: Request): Promise<Response> {
    const started = performance.now();
    const url = new URL(req.url);
    const found = find(req.method, url.pathname);
    const service = found?.route.service ?? "gcp";
    const action = found?.route.action ?? "Unknown";
    let response: Response;
    let error: string | undefined;
    try {
      if (!/^Bearer \S+/.test(req.headers.get("authorization") ?? "")) throw new GcpError(401, "UNAUTHENTICATED", "Request is missing required authentication credential. Expected OAuth 2 access token.");
      if (!found) throw new GcpError(404, "NOT_FOUND", `The sandbox has no GCP method ${req.method} ${url.pathname}`);
      await faults.apply(service, action, "RESOURCE_EXHAUSTED").catch((err) => {
        if (!(err instanceof AwsError)) throw err;
        throw new GcpError(err.code === "RESOURCE_EXHAUSTED" ? 429 : HTTP_STATUS[err.code] ?? err.status, err.code === "InternalFailure" ? "INTERNAL" : err.code, err.code === "RESOURCE_EXHAUSTED" ? "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute'." : err.message);
      });
      settle();
      const text = req.method === "GET" || req.method === "DELETE" ? "" : await req.text();
      const body = enumNames(text ? JSON.parse(text) : {}, ENUMS[service] ?? {});
      response = Response.json(await found.route.run({ method: req.method, url, params: found.params, body }));
    } catch (err) {
      const e = err instanceof GcpError ? err : new GcpError(500, "INTERNAL", String(err));
      if (!(err instanceof GcpError)) console.error(`sandbox: ${service}:${action} failed:`, err);
      error = e.status;
      response = errorResponse(e);
    }
    calls.record(service, action, response.status, performance.now() - started, error);
    return response;
  }

  return {
    fetch: handle,
    settle,
    context: ctx,
    async stopKubeApis() {
      await Promise.all([...ctx.kubeApis.keys()].map((id) => stopKube(ctx, id)));
      ctx.operations.clear();
    },
    env(gcpEndpoint, storageEndpoint) {
      const env: Record<string, string> = {};
      for (const api of ["CONTAINER", "IAM", "CLOUDRESOURCEMANAGER", "ARTIFACTREGISTRY", "COMPUTE", "SERVICEUSAGE"]) env[`CLOUDSDK_API_ENDPOINT_OVERRIDES_${api}`] = `${gcpEndpoint}/`;
      env.CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE = `${storageEndpoint}/`;
      // gcloud takes the token from CLOUDSDK_AUTH_ACCESS_TOKEN; NIC (like Terraform's google provider) from GOOGLE_OAUTH_ACCESS_TOKEN.
      env.CLOUDSDK_AUTH_ACCESS_TOKEN = ctx.accessToken;
      env.GOOGLE_OAUTH_ACCESS_TOKEN = ctx.accessToken;
      env.CLOUDSDK_CORE_PROJECT = SANDBOX_PROJECT;
      env.CLOUDSDK_CORE_CHECK_GCE_METADATA = "false";
      return env;
    },
  };
}
