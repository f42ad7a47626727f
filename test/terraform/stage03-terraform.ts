// Nebari's stage 03 as Terraform and Helm leave it, for the import proof. The kubernetes and helm Terraform providers are not
// in this machine's mirror, so this puts the objects in the sandbox cluster the way they would (kubectl, as an independent
// client): the namespace created by field manager "Terraform" with no labels; the Traefik CRDs server-side applied by
// "Terraform" with schemas stricter than NIC's; the chart's objects created by "helm" with Helm's labels and annotations, plus
// Helm's release record. Then it writes the stage-03 state those providers would have written (format 4, their attribute shapes).
// Limits: the chart objects are NIC's rendering of chart 9.52.1 relabelled as Helm would (helm is not available offline), so
// this proves adoption, not chart fidelity; and the state is written here, not by Terraform.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { NebariConfig } from "../../src/config/model.ts";
import type { Resource } from "../../src/engine/types.ts";
import { OWNER_LABEL, REPLICATES_ANNOTATION, stage03Resources } from "../../src/kubernetes/index.ts";
import { renderKubeconfig } from "../../src/outputs/kubeconfig.ts";
import type { ClusterOutputs } from "../../src/outputs/types.ts";
import { NIC } from "../helpers/binary.ts";

export interface Stage03 {
  kubeconfig: string;
  tfstate: string;
  kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

const RELEASE = "cluster-autoscaler";
const CHART = "cluster-autoscaler-9.52.1";
/** What Nebari 2025.10.1 and older installed (modules/cluster-autoscaler: chart 9.19.0, no IRSA). */
const OLD_CHART = "cluster-autoscaler-9.19.0";
const OLD_IMAGE = "k8s.gcr.io/autoscaling/cluster-autoscaler:v1.23.0";

/** An object as chart 9.19.0 made it, as far as this proof needs: its image, and no IRSA role annotation. */
function olderChart(r: Resource): Resource {
  const manifest = structuredClone(r.attributes) as any;
  delete manifest.metadata.annotations?.["eks.amazonaws.com/role-arn"];
  for (const c of manifest.spec?.template?.spec?.containers ?? []) c.image = OLD_IMAGE;
  return { ...r, attributes: manifest };
}
/** Nebari's kubernetes_manifest resource names for the CRDs, by plural. */
const CRD_RESOURCE_NAMES: Record<string, string> = {
  ingressroutes: "ingress_route", ingressroutetcps: "ingress_route_tcp", ingressrouteudps: "ingress_route_udp", middlewares: "middleware",
  middlewaretcps: "middlewaretcp", serverstransports: "serverstransports", tlsoptions: "tls_option", tlsstores: "tls_stores", traefikservices: "traefik_service",
};

/**
 * `roleArn`: the cluster autoscaler's IRSA role (Nebari after 2025.10.1). Without it, stage 03 as Nebari 2025.10.1 and
 * older left it: chart 9.19.0 (its image and chart label) and a ServiceAccount with no role annotation (the node role served).
 */
export async function terraformStage03(opts: { config: NebariConfig; clusterName: string; roleArn?: string; env: Record<string, string>; dir: string }): Promise<Stage03> {
  const { config, env, dir } = opts;
  const namespace = config.namespace;
  const kubeconfig = join(dir, "admin.kubeconfig");
  writeFileSync(kubeconfig, await adminKubeconfig(opts.clusterName, config.amazon_web_services!.region, env));
  const kubectl = async (...args: string[]) => {
    const child = Bun.spawn(["kubectl", "--kubeconfig", kubeconfig, ...args], { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    return { code, stdout, stderr };
  };
  /** One kubectl call per object, so each prints exactly one JSON document. */
  const apply = async (docs: unknown[], ...args: string[]) => {
    const live: any[] = [];
    for (const doc of docs) {
      const file = join(dir, `object-${crypto.randomUUID()}.yaml`);
      writeFileSync(file, stringify(doc));
      const run = await kubectl(...args, "-f", file, "-o", "json");
      if (run.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${run.stderr}`);
      live.push(JSON.parse(run.stdout));
    }
    return live;
  };

  const chart = opts.roleArn ? CHART : OLD_CHART;
  const wanted = stage03Resources(config, { clusterAutoscalerRoleArn: opts.roleArn ?? "", region: config.amazon_web_services!.region }).map((r) => (opts.roleArn ? r : olderChart(r)));
  const byKind = (kind: string) => wanted.filter((r) => r.kind === kind).map((r) => withoutNicMarks(r));

  const [ns] = await apply([{ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } }], "create", "--field-manager=Terraform");
  const crds = await apply(byKind("k8s/customresourcedefinition").map(strictSchema), "apply", "--server-side", "--field-manager=Terraform");
  const objects = wanted.filter((r) => !["k8s/namespace", "k8s/customresourcedefinition"].includes(r.kind)).map((r) => helmRendered(withoutNicMarks(r), namespace, chart));
  await apply([...objects, helmReleaseRecord(namespace)], "create", "--field-manager=helm");

  const tfstate = join(dir, "stage03.tfstate");
  writeFileSync(tfstate, JSON.stringify(stage03State(opts.clusterName, ns, crds, namespace, opts.roleArn), null, 1));
  return { kubeconfig, tfstate, kubectl };
}

/** What `aws eks update-kubeconfig` would write (read from EKS, not from NIC's state), with NIC's token command as the exec credential. */
async function adminKubeconfig(cluster: string, region: string, env: Record<string, string>): Promise<string> {
  const { EKSClient, DescribeClusterCommand } = await import("@aws-sdk/client-eks");
  const eks = new EKSClient({ region, endpoint: env.AWS_ENDPOINT_URL, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! } });
  const { cluster: c } = await eks.send(new DescribeClusterCommand({ name: cluster }));
  const caPem = Buffer.from(c!.certificateAuthority!.data!, "base64").toString("utf8");
  return renderKubeconfig({ name: cluster, endpoint: c!.endpoint!, ca_certificate_pem: caPem } as ClusterOutputs["cluster"], { command: NIC, args: ["kubeconfig", "token", "--cluster", cluster, "--region", region] });
}

function withoutNicMarks(r: Resource): any {
  const manifest = structuredClone(r.attributes) as any;
  delete manifest.metadata.labels[OWNER_LABEL];
  delete manifest.metadata.annotations?.[REPLICATES_ANNOTATION];
  return manifest;
}

function helmRendered(manifest: any, namespace: string, chart: string): any {
  manifest.metadata.labels = { ...manifest.metadata.labels, "app.kubernetes.io/managed-by": "Helm", "helm.sh/chart": chart };
  manifest.metadata.annotations = { ...manifest.metadata.annotations, "meta.helm.sh/release-name": RELEASE, "meta.helm.sh/release-namespace": namespace };
  return manifest;
}

/** Helm's record of release revision 1 (its content is Helm's business; only its presence matters here). */
function helmReleaseRecord(namespace: string) {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "helm.sh/release.v1",
    metadata: { name: `sh.helm.release.v1.${RELEASE}.v1`, namespace, labels: { owner: "helm", name: RELEASE, status: "deployed", version: "1" } },
    data: { release: Buffer.from("release record").toString("base64") },
  };
}

/** A schema that types the spec's fields, as Nebari's module does (stricter than NIC's, which lets any spec through). */
function strictSchema(crd: any): any {
  const spec = {
    type: "object",
    description: `${crd.spec.names.kind}Spec as Nebari's Terraform installs it.`,
    properties: {
      entryPoints: { type: "array", items: { type: "string" } },
      routes: { type: "array", items: { type: "object", required: ["match"], properties: { match: { type: "string" }, priority: { type: "integer" }, kind: { type: "string", enum: ["Rule"] } } } },
      tls: { type: "object", properties: { secretName: { type: "string" }, certResolver: { type: "string" } } },
    },
  };
  const schema = { openAPIV3Schema: { type: "object", required: ["metadata", "spec"], properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, spec } } };
  return { ...crd, spec: { ...crd.spec, versions: crd.spec.versions.map((v: any) => ({ ...v, schema })) } };
}

const AWS = 'provider["registry.terraform.io/hashicorp/aws"]';
const KUBERNETES = 'provider["registry.terraform.io/hashicorp/kubernetes"]';
const HELM = 'provider["registry.terraform.io/hashicorp/helm"]';
const instance = (attributes: Record<string, unknown>) => ({ schema_version: 0, attributes, sensitive_attributes: [] });
const dynamic = (value: unknown) => ({ value, type: ["object", {}] });

/** Stage 03's terraform.tfstate, in the shapes of hashicorp/kubernetes 2.35.1 and hashicorp/helm 2.1.2. */
function stage03State(clusterName: string, ns: any, crds: any[], namespace: string, roleArn: string | undefined) {
  const values = roleArn ? { rbac: { create: true, serviceAccount: { name: "cluster-autoscaler", annotations: { "eks.amazonaws.com/role-arn": roleArn } } }, cloudProvider: "aws" } : { rbac: { create: true }, cloudProvider: "aws" };
  const [version, appVersion] = roleArn ? ["9.52.1", "1.34.1"] : ["9.19.0", "1.23.0"];
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial: 3,
    lineage: crypto.randomUUID(),
    outputs: {},
    resources: [
      { mode: "data", type: "aws_eks_cluster", name: "default", provider: AWS, instances: [instance({ id: clusterName, name: clusterName })] },
      {
        module: "module.kubernetes-initialization", mode: "managed", type: "kubernetes_namespace", name: "main", provider: KUBERNETES,
        instances: [instance({ id: namespace, metadata: [{ annotations: null, generate_name: "", generation: 0, labels: null, name: namespace, resource_version: ns.metadata.resourceVersion, uid: ns.metadata.uid }], timeouts: null, wait_for_default_service_account: false })],
      },
      {
        module: "module.kubernetes-autoscaling[0]", mode: "managed", type: "helm_release", name: "autoscaler", provider: HELM,
        instances: [instance({ id: RELEASE, name: RELEASE, namespace, chart: "cluster-autoscaler", repository: "https://kubernetes.github.io/autoscaler", version, status: "deployed", values: [stringify(values)], metadata: [{ app_version: appVersion, chart: "cluster-autoscaler", name: RELEASE, namespace, revision: 1, version }] })],
      },
      ...crds.map((crd) => ({
        module: "module.traefik-crds", mode: "managed", type: "kubernetes_manifest", name: CRD_RESOURCE_NAMES[crd.spec.names.plural], provider: KUBERNETES,
        instances: [instance({ manifest: dynamic({ apiVersion: crd.apiVersion, kind: crd.kind, metadata: { name: crd.metadata.name }, spec: crd.spec }), object: dynamic(crd), field_manager: [{ name: "Terraform", force_conflicts: false }], computed_fields: null, timeouts: [], wait: [], wait_for: null })],
      })),
    ],
  };
}
