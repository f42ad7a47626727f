// Missing cloud credentials are the user's setup, not a NIC bug: the SDKs' "no credentials" errors become
// CREDENTIALS_MISSING, naming the sources the SDK's default chain looked at and what to set.
import { NicError } from "./errors.ts";

const SOURCES = {
  aws: {
    tried: [
      "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN)",
      "SSO and shared files: AWS_PROFILE (default profile) in ~/.aws/config and ~/.aws/credentials",
      "web identity: AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN",
      "container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI",
      "EC2 instance metadata (IMDS)",
    ],
    recovery: [
      "Set AWS_PROFILE to a profile in ~/.aws/config (after `aws sso login --profile NAME` for SSO), or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
      "Check with `aws sts get-caller-identity`; rerun with --log-level debug to see the SDK's own message.",
    ],
  },
  gcp: {
    tried: ["GOOGLE_APPLICATION_CREDENTIALS", "gcloud application-default credentials (~/.config/gcloud)", "the GCE metadata server"],
    recovery: ["Run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file."],
  },
  azure: {
    tried: ["environment: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET", "workload identity", "managed identity", "Azure CLI (`az login`)"],
    recovery: ["Run `az login`, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET for a service principal."],
  },
} as const;

/** The cloud whose credential chain came up empty, or undefined if the error is something else. */
function cloudOf(err: Error): keyof typeof SOURCES | undefined {
  if (err.name === "CredentialsProviderError" || /Could not load credentials from any providers/.test(err.message)) return "aws";
  if (/Could not load the default credentials/.test(err.message)) return "gcp";
  if (err.name === "CredentialUnavailableError" || (err.name === "AggregateAuthenticationError" && /credential/i.test(err.message))) return "azure";
  return undefined;
}

export function credentialsError(err: unknown): NicError | undefined {
  if (!(err instanceof Error)) return undefined;
  const cloud = cloudOf(err);
  if (!cloud) return undefined;
  const { tried, recovery } = SOURCES[cloud];
  return new NicError("CREDENTIALS_MISSING", `No ${cloud.toUpperCase()} credentials found: ${err.message}`, {
    details: { cloud, tried },
    recovery: [...recovery],
    cause: err,
  });
}

/** What to check when reading the cloud or the cluster fails, named in the provider's own credential sources. */
export function readFailedHint(provider: string | undefined): string {
  const then = "their permissions, and any endpoint override; the error names the call.";
  switch (provider) {
    case "aws":
      return `Check the AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), ${then.replace("any endpoint override", "any AWS_ENDPOINT_URL* variables")}`;
    case "gcp":
      return `Check the Google credentials (GOOGLE_APPLICATION_CREDENTIALS, or \`gcloud auth application-default login\`), ${then}`;
    case "azure":
      return `Check the Azure credentials (AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET, or \`az login\`), ${then}`;
    case "existing":
    case "local":
      return "Check the kubeconfig (KUBECONFIG, else ~/.kube/config) and that its context (kube_context) reaches the cluster: `kubectl --context CONTEXT get ns`; the error names the call.";
    default:
      return `Check the cloud credentials, ${then}`;
  }
}
