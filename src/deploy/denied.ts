// What the cloud refused, for the error document: AWS's error code, the call that got it and the action it refused
// (the message names it, "… is not authorized to perform: iam:CreateRole …"; otherwise it is the call itself).
const DENIED = /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedException|AuthorizationError)$/;

export interface CloudRefusal {
  aws_error_code?: string;
  /** `ec2:CreateVpc`, when the SDK client named it (providers/aws/clients.ts). */
  call?: string;
  refused_action?: string;
}

/** The cloud's side of a failure, from the error a resource kind threw (empty when it was not the cloud's). */
export function refusalOf(cause: unknown): CloudRefusal {
  if (typeof cause !== "object" || cause === null) return {};
  const e = cause as { name?: string; Code?: string; message?: string; $call?: string; $metadata?: unknown };
  if (!e.$metadata && !e.$call) return {};
  const code = e.Code ?? e.name;
  const named = /perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(e.message ?? "")?.[1];
  return {
    ...(code && { aws_error_code: code }),
    ...(e.$call && { call: e.$call }),
    ...(code && DENIED.test(code) && (named ?? e.$call) ? { refused_action: named ?? e.$call } : {}),
  };
}

/** One hint per refused action, naming it. */
export function permissionHints(causes: unknown[]): string[] {
  const actions = [...new Set(causes.map((c) => refusalOf(c).refused_action).filter((a): a is string => Boolean(a)))];
  if (!actions.length) return [];
  return [`The cloud refused ${actions.join(", ")} for lack of permission: grant ${actions.length > 1 ? "them" : "it"} to the identity NIC runs as (\`aws sts get-caller-identity\` shows it).`];
}
