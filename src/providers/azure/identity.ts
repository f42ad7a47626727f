// The pre-flight credential check (DeployProvider.checkCredentials): one page of the subscription's resource groups
// needs only Reader, so a failure means the credentials, the tenant or the subscription are wrong, not a missing permission.
import { credentialsError } from "../../cli/credentials.ts";
import { NicError } from "../../cli/errors.ts";
import type { AzureClients } from "./clients.ts";
import { codeOf, statusOf } from "./errors.ts";

export async function checkAzureCredentials(azure: AzureClients, signal: AbortSignal): Promise<void> {
  try {
    const client = await azure.resources();
    await client.resourceGroups.list({ top: 1, abortSignal: signal }).byPage().next();
  } catch (err) {
    if (err instanceof NicError) throw err;
    const missing = credentialsError(err); // no credential at all: CREDENTIALS_MISSING, naming where it looked
    if (missing) throw missing;
    const code = codeOf(err) || (err as Error).name || "Error";
    throw new NicError("CREDENTIALS_INVALID", `The Azure credentials do not answer for subscription ${azure.subscriptionId} (${code}${statusOf(err) ? ` ${statusOf(err)}` : ""}: ${(err as Error).message}); nothing was changed`, {
      details: { call: "resourceGroups.list", subscription: azure.subscriptionId, azure_error_code: code },
      recovery: [
        "Check AZURE_CLIENT_ID / AZURE_CLIENT_SECRET / AZURE_TENANT_ID (or ARM_*) and ARM_SUBSCRIPTION_ID, or `az login` and `az account show`.",
        "An expired client secret and a subscription of another tenant are the usual causes.",
      ],
      cause: err,
    });
  }
}
