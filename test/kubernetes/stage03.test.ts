import { describe, expect, test } from "bun:test";
import type { Resource } from "../../src/engine/types.ts";
import { OWNER_LABEL, secretDataHash, stage03Resources, stage03Secrets } from "../../src/kubernetes/index.ts";
import { aws, gcp, local } from "./configs.ts";

const ROLE_ARN = "arn:aws:iam::123456789012:role/demo-dev-cluster-autoscaler";
const TRAEFIK = ["ingressroutes", "ingressroutetcps", "ingressrouteudps", "middlewares", "middlewaretcps", "serverstransports", "tlsoptions", "tlsstores", "traefikservices"]
  .map((plural) => `k8s/customresourcedefinition/_cluster/${plural}.traefik.containo.us`);
const AUTOSCALER = "cluster-autoscaler-aws-cluster-autoscaler";

const byAddress = (resources: Resource[]) => new Map(resources.map((r) => [r.address, r.attributes as any]));

describe("stage03Resources", () => {
  test("local: the namespace and the nine Traefik CRDs, nothing else", () => {
    const resources = stage03Resources(local(), {});
    expect(resources.map((r) => r.address)).toEqual(["k8s/namespace/_cluster/dev", ...TRAEFIK]);
  });

  test("every object carries NIC's one ownership label", () => {
    for (const r of stage03Resources(aws({ gpu: true, registry: true }), { clusterAutoscalerRoleArn: ROLE_ARN })) {
      expect((r.attributes as any).metadata.labels[OWNER_LABEL]).toBe("nic");
    }
  });

  test("Traefik CRDs: v1alpha1, namespaced, served and stored, with a structural schema", () => {
    const crds = stage03Resources(local(), {}).filter((r) => r.kind === "k8s/customresourcedefinition");
    expect(crds).toHaveLength(9);
    for (const crd of crds) {
      const spec = (crd.attributes as any).spec;
      expect(`${spec.names.plural}.${spec.group}`).toBe((crd.attributes as any).metadata.name);
      expect(spec.scope).toBe("Namespaced");
      expect(spec.versions).toHaveLength(1);
      const [version] = spec.versions;
      expect(version).toMatchObject({ name: "v1alpha1", served: true, storage: true });
      expect(version.schema.openAPIV3Schema.type).toBe("object");
      expect(version.schema.openAPIV3Schema.properties.spec["x-kubernetes-preserve-unknown-fields"]).toBe(true);
    }
  });

  test("aws: the cluster autoscaler as chart 9.52.1 renders it for Nebari's values", () => {
    const resources = stage03Resources(aws({ project: "awsdemo" }), { clusterAutoscalerRoleArn: ROLE_ARN });
    const objects = byAddress(resources);
    expect([...objects.keys()]).toEqual([
      "k8s/namespace/_cluster/dev",
      "k8s/serviceaccount/dev/cluster-autoscaler",
      `k8s/clusterrole/_cluster/${AUTOSCALER}`,
      `k8s/clusterrolebinding/_cluster/${AUTOSCALER}`,
      `k8s/role/dev/${AUTOSCALER}`,
      `k8s/rolebinding/dev/${AUTOSCALER}`,
      `k8s/service/dev/${AUTOSCALER}`,
      `k8s/deployment/dev/${AUTOSCALER}`,
      `k8s/poddisruptionbudget/dev/${AUTOSCALER}`,
      ...TRAEFIK,
    ]);
    expect(objects.get(`k8s/poddisruptionbudget/dev/${AUTOSCALER}`).spec).toEqual({
      selector: { matchLabels: { "app.kubernetes.io/instance": "cluster-autoscaler", "app.kubernetes.io/name": "aws-cluster-autoscaler" } },
      maxUnavailable: 1,
    });
    const sa = objects.get("k8s/serviceaccount/dev/cluster-autoscaler");
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(ROLE_ARN);
    const deployment = objects.get(`k8s/deployment/dev/${AUTOSCALER}`);
    expect(deployment.metadata.annotations["nic.nebari.dev/replicates"]).toBe("cluster-autoscaler-9.52.1");
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe("cluster-autoscaler");
    const [container] = pod.containers;
    expect(container.command).toContain("--cloud-provider=aws");
    // The project name unescaped (the EKS cluster itself is `aawsdemo-dev`), as Nebari does.
    expect(container.command).toContain("--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/awsdemo-dev");
    expect(container.env).toContainEqual({ name: "AWS_REGION", value: "us-west-2" });
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "eks.amazonaws.com/nodegroup", operator: "In", values: ["general"] }] },
    ]);
    const binding = objects.get(`k8s/clusterrolebinding/_cluster/${AUTOSCALER}`);
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "cluster-autoscaler", namespace: "dev" }]);
    expect(resources.find((r) => r.address.startsWith("k8s/deployment/"))?.dependsOn).toContain("k8s/namespace/_cluster/dev");
  });

  test("aws with a GPU group: the device plugin DaemonSet with affinity to the GPU groups and the tolerations of Nebari", () => {
    const objects = byAddress(stage03Resources(aws({ gpu: true }), { clusterAutoscalerRoleArn: ROLE_ARN }));
    const ds = objects.get("k8s/daemonset/kube-system/nvidia-device-plugin-daemonset-1.12");
    const pod = ds.spec.template.spec;
    expect(pod.containers[0].image).toBe("nvidia/k8s-device-plugin:1.11");
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: "eks.amazonaws.com/nodegroup", operator: "In", values: ["gpu-a"] },
    ]);
    expect(pod.tolerations).toEqual([
      { key: "CriticalAddonsOnly", operator: "Exists" },
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
      { key: "dedicated", operator: "Equal", value: "nebari", effect: "NoSchedule" },
    ]);
    expect([...byAddress(stage03Resources(aws(), {})).keys()].some((a) => a.startsWith("k8s/daemonset/"))).toBe(false);
  });

  test("gcp: the driver installer only with guest accelerators, and no autoscaler", () => {
    const withGpu = [...byAddress(stage03Resources(gcp(true), {})).keys()];
    expect(withGpu).toContain("k8s/daemonset/kube-system/nvidia-driver-installer");
    expect(withGpu.some((a) => a.includes("autoscaler"))).toBe(false);
    expect([...byAddress(stage03Resources(gcp(false), {})).keys()].some((a) => a.startsWith("k8s/daemonset/"))).toBe(false);
  });

  test("external registry: secret, Role, ServiceAccount, RoleBinding, Job and CronJob; the secret's data only as a hash", () => {
    const config = aws({ registry: true });
    const resources = stage03Resources(config, { clusterAutoscalerRoleArn: ROLE_ARN });
    const names = resources.filter((r) => r.address.endsWith("/extcr-cred-updater") || r.address.endsWith("/customer-extcr-key")).map((r) => r.address);
    expect(names).toEqual([
      "k8s/secret/dev/customer-extcr-key",
      "k8s/role/dev/extcr-cred-updater",
      "k8s/serviceaccount/dev/extcr-cred-updater",
      "k8s/rolebinding/dev/extcr-cred-updater",
      "k8s/job/dev/extcr-cred-updater",
      "k8s/cronjob/dev/extcr-cred-updater",
    ]);
    expect(JSON.stringify(resources)).not.toContain("very-secret-key");
    expect(JSON.stringify(resources)).not.toContain(Buffer.from("very-secret-key").toString("base64"));
    const secrets = stage03Secrets(config);
    const data = secrets.get("k8s/secret/dev/customer-extcr-key")!;
    expect(Buffer.from(data["secret-access-key"]!, "base64").toString()).toBe("very-secret-key");
    expect((byAddress(resources).get("k8s/secret/dev/customer-extcr-key") as any).dataHash).toBe(secretDataHash(data));
    const cron = byAddress(resources).get("k8s/cronjob/dev/extcr-cred-updater");
    expect(cron.spec.schedule).toBe("* */8 * * *");
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].image).toBe("xynova/aws-kubectl");
    expect(stage03Resources(aws(), {}).some((r) => r.address.includes("extcr"))).toBe(false);
    expect(stage03Secrets(aws()).size).toBe(0);
  });

  test("pure: the same config gives the same resources", () => {
    const config = aws({ gpu: true, registry: true });
    expect(stage03Resources(config, { clusterAutoscalerRoleArn: ROLE_ARN })).toEqual(stage03Resources(config, { clusterAutoscalerRoleArn: ROLE_ARN }));
  });
});
