// startSandbox: the AWS emulator and its control API in this process. main.ts is the command-line wrapper.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createAwsHandler, settle } from "./aws/router.ts";
import type { EksRuntime, KubeApiEntry } from "./aws/eks/runtime.ts";
import { awsServices } from "./aws/services.ts";
import { CallLog } from "./calls.ts";
import { createControlHandler } from "./control.ts";
import { Faults } from "./faults.ts";
import { createGcpEmulator } from "./gcp/index.ts";
import { createGcsEmulator } from "./gcs.ts";
import { startOidcIssuer } from "./oidc.ts";
import { startAzure, type AzureSandbox } from "./azure/index.ts";
import type { CallRecord as KubeCall } from "./kubernetes/index.ts";
import { profileDelays, type ProfileName } from "./profiles.ts";
import { World, type Delays } from "./world.ts";

export interface SandboxOptions {
  port?: number;
  controlPort?: number;
  stateFile?: string;
  /** A named lifecycle profile (profiles.ts), scaled down by `scale`; `delays` override it. */
  profile?: ProfileName;
  scale?: number;
  delays?: Partial<Delays>;
}

export interface Sandbox {
  /** Shell environment for clients: AWS_ENDPOINT_URL(_<SERVICE>), test credentials, NIC_SANDBOX_CONTROL. */
  env: Record<string, string>;
  awsEndpoint: string;
  /** GKE, IAM, Resource Manager, Artifact Registry, Compute zones (sandbox/gcp); gcloud's overrides point here. */
  gcpEndpoint: string;
  controlEndpoint: string;
  /** PEM of the OIDC issuers' TLS certificate (trust it to fetch issuer metadata). */
  oidcCaPem: string;
  /** The ARM endpoint and Azure AD authority (sandbox/azure); its exports are in env. */
  azure: AzureSandbox;
  world: World;
  /** The requests a cluster's Kubernetes API answered (`at`: epoch ms), by cluster name. */
  kubernetesCalls(cluster: string): KubeCall[];
  stop(): Promise<void>;
}

export const SANDBOX_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_REGION: "us-west-2",
  AWS_DEFAULT_REGION: "us-west-2",
};

/** The Kubernetes emulator lives in sandbox/kubernetes (another module); use it when it is there. */
async function kubeStarter(): Promise<EksRuntime["startKubeApi"]> {
  const path = fileURLToPath(new URL("./kubernetes/index.ts", import.meta.url));
  if (!existsSync(path)) return undefined;
  const mod = await import(path);
  return typeof mod.startKubeApi === "function" ? mod.startKubeApi : undefined;
}

async function stopKubeApis(kubeApis: Map<string, KubeApiEntry>): Promise<void> {
  const all = [...kubeApis.values()];
  kubeApis.clear();
  await Promise.all(all.map((k) => k.ready.then((api) => api.stop(), () => {})));
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const world = new World(opts.stateFile);
  Object.assign(world.delays, profileDelays(opts.profile ?? "default", opts.scale), opts.delays);
  const oidc = startOidcIssuer(world.region);
  const kubeApis = new Map<string, KubeApiEntry>();
  const services = awsServices({ oidcIssuerBase: oidc.base, placeholderCaPem: oidc.certPem, startKubeApi: await kubeStarter(), kubeApis });
  const calls = new CallLog();
  const faults = new Faults();

  const awsHandler = createAwsHandler(world, services, faults, calls);
  // Cloud Storage's JSON API shares the port (its paths never collide with AWS's); it keeps its own objects.
  const gcs = createGcsEmulator({ autoCreateBuckets: false });
  const GCS_PATH = /^\/(upload\/|download\/)?storage\/v1\//;
  const aws = Bun.serve({
    hostname: "127.0.0.1",
    port: opts.port ?? 0,
    fetch: (req) => (GCS_PATH.test(new URL(req.url).pathname) ? gcs.fetch(req) : awsHandler(req)),
    idleTimeout: 120,
  });
  const awsEndpoint = `http://127.0.0.1:${aws.port}`;
  const env: Record<string, string> = { AWS_ENDPOINT_URL: awsEndpoint, STORAGE_EMULATOR_HOST: awsEndpoint };
  for (const s of services) for (const name of [s.envName, ...(s.moreEnvNames ?? [])]) env[`AWS_ENDPOINT_URL_${name}`] = awsEndpoint;
  Object.assign(env, SANDBOX_CREDENTIALS, { AWS_EC2_METADATA_DISABLED: "true" });
  const gcp = createGcpEmulator({ world, faults, calls });
  const gcpServer = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: gcp.fetch, idleTimeout: 120 });
  const gcpEndpoint = `http://127.0.0.1:${gcpServer.port}`;
  Object.assign(env, gcp.env(gcpEndpoint, awsEndpoint));

  const azure = await startAzure({ world, calls, faults });
  Object.assign(env, azure.env);

  const control = Bun.serve({
    hostname: "127.0.0.1",
    port: opts.controlPort ?? 0,
    fetch: createControlHandler({ world, calls, faults, env: () => env, settle: () => (world.due(0), settle(world, services), azure.settle(), gcp.settle()), onReset: () => Promise.all([stopKubeApis(kubeApis), azure.stopKubeApis(), gcp.stopKubeApis()]).then(() => {}) }),
  });
  const controlEndpoint = `http://127.0.0.1:${control.port}`;
  env.NIC_SANDBOX_CONTROL = controlEndpoint;

  return {
    env,
    awsEndpoint,
    gcpEndpoint,
    controlEndpoint,
    oidcCaPem: oidc.certPem,
    azure,
    world,
    kubernetesCalls: (cluster) => (kubeApis.get(cluster)?.api as { calls?: () => KubeCall[] } | undefined)?.calls?.() ?? [],
    async stop() {
      await Promise.all([aws.stop(true), gcpServer.stop(true), control.stop(true), oidc.stop(), stopKubeApis(kubeApis), azure.stop(), gcp.stopKubeApis()]);
      world.save();
    },
  };
}
