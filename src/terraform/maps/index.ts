// Which rule table reads which state: stage 02 per cloud, stage 03 the same for every cloud.
import type { RuleTable } from "../map.ts";
import { AWS_RULES } from "./aws.ts";
import { AZURE_RULES } from "./azure.ts";
import { GCP_RULES } from "./gcp.ts";
import { KUBERNETES_RULES } from "./kubernetes.ts";

const STAGE02: Record<string, RuleTable> = { aws: AWS_RULES, gcp: GCP_RULES, azure: AZURE_RULES };

/** The stage-02 table of a provider, or undefined for local/existing (their stage 02 creates nothing to import). */
export function stage02Rules(provider: string): RuleTable | undefined {
  return STAGE02[provider];
}

export const STAGE03_RULES = KUBERNETES_RULES;
