// The external container registry updater (Nebari's extcr module): a secret with the registry's AWS credentials and a
// Job plus an 8-hourly CronJob that turn them into the `extcrcreds` pull secret of the namespace's default ServiceAccount.
import { createHash } from "node:crypto";
import type { Address, Resource } from "../engine/types.ts";
import { object } from "./objects.ts";

export const EXTCR_SECRET = "customer-extcr-key";
const NAME = "extcr-cred-updater";

/** The secret's data, base64 per key as the API stores it. */
export type SecretData = Record<string, string>;

/**
 * What NIC keeps of a secret's data: a SHA-256 of its sorted keys and values. Desired attributes, observed actuals and
 * therefore state and plans carry only this; the data itself reaches the API server through kubernetesKinds({ secrets }).
 */
export function secretDataHash(data: SecretData): string {
  const sorted = Object.keys(data).sort().map((k) => [k, data[k]]);
  return `sha256:${createHash("sha256").update(JSON.stringify(sorted)).digest("hex")}`;
}

export interface RegistryCredentials {
  access_key_id: string;
  secret_access_key: string;
  extcr_account: string;
  extcr_region: string;
}

export function extcrSecretData(c: RegistryCredentials): SecretData {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return {
    "access-key-id": b64(c.access_key_id),
    "secret-access-key": b64(c.secret_access_key),
    "extcr-account": b64(c.extcr_account),
    "extcr-region": b64(c.extcr_region),
  };
}

const SCRIPT = `DOCKER_REGISTRY_SERVER=https://\${AWS_ACCOUNT}.dkr.ecr.\${AWS_REGION}.amazonaws.com
DOCKER_USER=AWS
DOCKER_PASSWORD=\`aws ecr get-login --region \${AWS_REGION} --registry-ids \${AWS_ACCOUNT} | cut -d' ' -f6\`
kubectl delete secret extcrcreds || true
kubectl create secret docker-registry extcrcreds \\
--docker-server=$DOCKER_REGISTRY_SERVER \\
--docker-username=$DOCKER_USER \\
--docker-password=$DOCKER_PASSWORD \\
--docker-email=no@email.local
kubectl patch serviceaccount default -p '{"imagePullSecrets":[{"name":"extcrcreds"}]}'
`;

function jobSpec() {
  const fromSecret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { key, name: EXTCR_SECRET } } });
  return {
    backoffLimit: 4,
    template: {
      spec: {
        containers: [{
          command: ["/bin/sh", "-c", SCRIPT],
          env: [
            fromSecret("AWS_ACCESS_KEY_ID", "access-key-id"),
            fromSecret("AWS_SECRET_ACCESS_KEY", "secret-access-key"),
            fromSecret("AWS_ACCOUNT", "extcr-account"),
            fromSecret("AWS_REGION", "extcr-region"),
          ],
          image: "xynova/aws-kubectl",
          name: "kubectl",
        }],
        restartPolicy: "Never",
        serviceAccountName: NAME,
        terminationGracePeriodSeconds: 0,
      },
    },
  };
}

export function externalContainerRegistry(namespace: string, data: SecretData, namespaceAddress: Address): Resource[] {
  const ns = { namespace, dependsOn: [namespaceAddress] };
  const secret = object("Secret", EXTCR_SECRET, { type: "Opaque", dataHash: secretDataHash(data) }, ns);
  const role = object("Role", NAME, {
    rules: [
      { apiGroups: [""], resources: ["secrets"], verbs: ["get", "create", "delete"] },
      { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get", "patch"] },
    ],
  }, ns);
  const serviceAccount = object("ServiceAccount", NAME, {}, ns);
  const roleBinding = object("RoleBinding", NAME, {
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: NAME },
    subjects: [{ kind: "ServiceAccount", name: NAME }],
  }, { ...ns, dependsOn: [namespaceAddress, role.address, serviceAccount.address], immutableFields: ["roleRef"] });
  const runsAfter = [namespaceAddress, secret.address, roleBinding.address];
  // A Job's pod template cannot change: a new one replaces the Job.
  const job = object("Job", NAME, { spec: jobSpec() }, { ...ns, dependsOn: runsAfter, immutableFields: ["spec.template"] });
  const cronJob = object("CronJob", NAME, {
    spec: { failedJobsHistoryLimit: 1, jobTemplate: { spec: jobSpec() }, schedule: "* */8 * * *", successfulJobsHistoryLimit: 1 },
  }, { ...ns, dependsOn: runsAfter });
  return [secret, role, serviceAccount, roleBinding, job, cronJob];
}
