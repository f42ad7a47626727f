// The objects Helm chart cluster-autoscaler 9.52.1 renders for Nebari's values (stage 03, AWS), written out by hand:
// release `cluster-autoscaler`, cloudProvider aws, rbac.create, serviceAccount `cluster-autoscaler` with the IRSA annotation,
// autoDiscovery.clusterName `<project_name>-<namespace>` (unescaped, as Nebari does), node affinity to the `general` group.
// Chart defaults kept: image v1.34.1, extraArgs logtostderr/stderrthreshold/v, priorityClassName, service on 8085,
// the PodDisruptionBudget (maxUnavailable 1).
import type { Address, Ref, Resource } from "../engine/types.ts";
import { object, REPLICATES_ANNOTATION } from "./objects.ts";

export const AUTOSCALER_CHART = "cluster-autoscaler-9.52.1";
const RELEASE = "cluster-autoscaler";
/** The chart's name helper: `<cloudProvider>-<chart name>`; fullname prefixes the release name because they differ. */
const NAME = "aws-cluster-autoscaler";
const FULLNAME = `${RELEASE}-${NAME}`;
const SERVICE_ACCOUNT = "cluster-autoscaler";
const IMAGE = "registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.1";
const PORT = 8085;

export interface AutoscalerInputs {
  namespace: string;
  /** `<project_name>-<namespace>` with the unescaped project name. */
  clusterName: string;
  region: string;
  /** The IRSA role's ARN, or a ref to the role. */
  roleArn: string | Ref;
  namespaceAddress: Address;
}

export function clusterAutoscaler(i: AutoscalerInputs): Resource[] {
  const selector = { "app.kubernetes.io/instance": RELEASE, "app.kubernetes.io/name": NAME };
  const common = { labels: selector, annotations: { [REPLICATES_ANNOTATION]: AUTOSCALER_CHART } };
  const ns = { ...common, namespace: i.namespace, dependsOn: [i.namespaceAddress] };

  const serviceAccount = object("ServiceAccount", SERVICE_ACCOUNT, { automountServiceAccountToken: true }, {
    ...ns, annotations: { ...common.annotations, "eks.amazonaws.com/role-arn": i.roleArn },
  });
  const clusterRole = object("ClusterRole", FULLNAME, { rules: CLUSTER_RULES }, common);
  const clusterRoleBinding = object("ClusterRoleBinding", FULLNAME, {
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: FULLNAME },
    subjects: [{ kind: "ServiceAccount", name: SERVICE_ACCOUNT, namespace: i.namespace }],
  }, { ...common, dependsOn: [clusterRole.address, serviceAccount.address], immutableFields: ["roleRef"] });
  const role = object("Role", FULLNAME, { rules: NAMESPACE_RULES }, ns);
  const roleBinding = object("RoleBinding", FULLNAME, {
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: FULLNAME },
    subjects: [{ kind: "ServiceAccount", name: SERVICE_ACCOUNT, namespace: i.namespace }],
  }, { ...ns, dependsOn: [...ns.dependsOn, role.address, serviceAccount.address], immutableFields: ["roleRef"] });
  const service = object("Service", FULLNAME, {
    spec: { ports: [{ port: PORT, protocol: "TCP", targetPort: PORT, name: "http" }], selector, type: "ClusterIP" },
  }, ns);

  const deployment = object("Deployment", FULLNAME, {
    spec: {
      replicas: 1,
      revisionHistoryLimit: 10,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector },
        spec: {
          priorityClassName: "system-cluster-critical",
          dnsPolicy: "ClusterFirst",
          containers: [{
            name: NAME,
            image: IMAGE,
            imagePullPolicy: "IfNotPresent",
            command: [
              "./cluster-autoscaler",
              "--cloud-provider=aws",
              `--namespace=${i.namespace}`,
              `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${i.clusterName}`,
              "--logtostderr=true",
              "--stderrthreshold=info",
              "--v=4",
            ],
            env: [
              { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
              { name: "SERVICE_ACCOUNT", valueFrom: { fieldRef: { fieldPath: "spec.serviceAccountName" } } },
              { name: "AWS_REGION", value: i.region },
            ],
            livenessProbe: { httpGet: { path: "/health-check", port: PORT } },
            ports: [{ containerPort: PORT }],
          }],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: "eks.amazonaws.com/nodegroup", operator: "In", values: ["general"] }] }],
              },
            },
          },
          serviceAccountName: SERVICE_ACCOUNT,
        },
      },
    },
  }, { ...ns, dependsOn: [...ns.dependsOn, serviceAccount.address], immutableFields: ["spec.selector"] });

  const disruptionBudget = object("PodDisruptionBudget", FULLNAME, { spec: { selector: { matchLabels: selector }, maxUnavailable: 1 } }, ns);
  return [serviceAccount, clusterRole, clusterRoleBinding, role, roleBinding, service, deployment, disruptionBudget];
}

const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]) => ({
  apiGroups, resources, ...(resourceNames && { resourceNames }), verbs,
});

/** clusterrole.yaml for cloudProvider aws without PSP or extra rules. */
const CLUSTER_RULES = [
  rule([""], ["events", "endpoints"], ["create", "patch"]),
  rule([""], ["pods/eviction"], ["create"]),
  rule([""], ["pods/status"], ["update"]),
  rule([""], ["endpoints"], ["get", "update"], ["cluster-autoscaler"]),
  rule([""], ["nodes"], ["watch", "list", "get", "update"]),
  rule([""], ["namespaces", "pods", "services", "replicationcontrollers", "persistentvolumeclaims", "persistentvolumes"], ["watch", "list", "get"]),
  rule(["batch"], ["jobs", "cronjobs"], ["watch", "list", "get"]),
  rule(["batch", "extensions"], ["jobs"], ["get", "list", "patch", "watch"]),
  rule(["extensions"], ["replicasets", "daemonsets"], ["watch", "list", "get"]),
  rule(["policy"], ["poddisruptionbudgets"], ["watch", "list"]),
  rule(["apps"], ["daemonsets", "replicasets", "statefulsets"], ["watch", "list", "get"]),
  rule(["storage.k8s.io"], ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities", "volumeattachments"], ["watch", "list", "get"]),
  rule([""], ["configmaps"], ["list", "watch", "get"]),
  rule(["coordination.k8s.io"], ["leases"], ["create"]),
  rule(["coordination.k8s.io"], ["leases"], ["get", "update"], ["cluster-autoscaler"]),
];

/** role.yaml without the priority expander (cluster-scoped RBAC, so no lease rules here). */
const NAMESPACE_RULES = [
  rule([""], ["configmaps"], ["create"]),
  rule([""], ["configmaps"], ["delete", "get", "update"], ["cluster-autoscaler-status"]),
];
