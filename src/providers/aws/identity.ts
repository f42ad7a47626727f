// The pre-flight credential check (DeployProvider.checkCredentials): sts:GetCallerIdentity answers for any valid
// credentials and needs no permission, so a failure means the credentials themselves are wrong, expired or missing.
import { credentialsError } from "../../cli/credentials.ts";
import { NicError } from "../../cli/errors.ts";
import type { Env } from "../../deploy/provider.ts";
import { clientConfig, nameTimeouts } from "./clients.ts";
import { errorCode } from "./errors.ts";

/** Returns the caller's ARN, or throws CREDENTIALS_INVALID naming AWS's error code. */
export async function awsCallerIdentity(region: string, env: Env, signal: AbortSignal, requestHandler?: unknown): Promise<string> {
  const { STSClient, GetCallerIdentityCommand } = await import("./sdk/sts.ts");
  const client = new STSClient(clientConfig({ region, env, requestHandler }, "STS"));
  nameTimeouts(client, "sts", env);
  try {
    const { Arn } = await client.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
    return Arn ?? "";
  } catch (err) {
    if (err instanceof NicError) throw err;
    const missing = credentialsError(err); // none at all: CREDENTIALS_MISSING, naming where the SDK looked
    if (missing) throw missing;
    const code = errorCode(err) || "Error";
    throw new NicError("CREDENTIALS_INVALID", `The AWS credentials do not answer (sts:GetCallerIdentity: ${code}: ${(err as Error).message}); nothing was changed`, {
      details: { call: "sts:GetCallerIdentity", aws_error_code: code },
      recovery: [
        "Check AWS_PROFILE / AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (an expired session token is the usual cause), then rerun.",
        "`aws sts get-caller-identity` shows what the AWS CLI finds with the same environment.",
      ],
      cause: err,
    });
  }
}
