// The pre-flight credential check (DeployProvider.checkCredentials): a token, then Resource Manager's projects.get for
// the configured project, which answers for any identity that can see the project. Nothing is changed before it.
import { credentialsError } from "../../cli/credentials.ts";
import { NicError } from "../../cli/errors.ts";
import type { GcpClients } from "./clients.ts";
import { gcpReason } from "./errors.ts";

export async function checkGcpCredentials(gcp: GcpClients, signal: AbortSignal): Promise<void> {
  try {
    await gcp.rest("cloudresourcemanager", "GET", `v1/projects/${gcp.project}`, undefined, signal);
  } catch (err) {
    if (err instanceof NicError) throw err;
    const missing = credentialsError(err); // none at all: CREDENTIALS_MISSING, naming where ADC looked
    if (missing) throw missing;
    const reason = gcpReason(err) || "Error";
    throw new NicError("CREDENTIALS_INVALID", `The GCP credentials do not answer for project ${gcp.project} (cloudresourcemanager projects.get: ${(err as Error).message}); nothing was changed`, {
      details: { call: "cloudresourcemanager.projects.get", gcp_status: reason, project: gcp.project },
      recovery: [
        "Check GOOGLE_OAUTH_ACCESS_TOKEN (an expired token is the usual cause) or GOOGLE_APPLICATION_CREDENTIALS, and that the identity can see the project, then rerun.",
        "`gcloud projects describe PROJECT` shows what gcloud finds with the same environment.",
      ],
      cause: err,
    });
  }
}
