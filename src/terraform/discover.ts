// Where Nebari keeps the stage 02 and 03 Terraform states (nebari-stages.md §5), in the order `nic import` tries them.
// Backends are named from the escaped project name, stage 01 created the storage from the unescaped one; where the two
// spellings differ, every combination is tried.
import { join } from "node:path";
import type { NebariConfig } from "../config/model.ts";

export type Stage = "02-infrastructure" | "03-kubernetes-initialize";

/** Candidate locations of one stage's state: local files first, then the remote backend when the config uses one. */
export function stateCandidates(config: NebariConfig, stage: Stage, folder: string): string[] {
  const local = stage === "02-infrastructure" ? join("stages", stage, config.provider, "terraform.tfstate") : join("stages", stage, "terraform.tfstate");
  const found = [join(folder, local), join(folder, ".nebari", local)];
  if (config.terraform_state.type === "remote") found.push(...remoteCandidates(config, stage));
  return [...new Set(found)];
}

function remoteCandidates(config: NebariConfig, stage: Stage): string[] {
  const ns = config.namespace;
  const names = [...new Set([config.escaped_project_name, config.project_name])];
  const out: string[] = [];
  for (const bucketName of names) {
    for (const keyName of names) {
      switch (config.provider) {
        case "aws": {
          const base = `${bucketName}-${ns}`;
          const region = encodeURIComponent(config.amazon_web_services?.region ?? "");
          out.push(`s3://${base}-terraform-state/terraform/${keyName}-${ns}/${stage}.tfstate?lock_table=${base}-terraform-state-lock&region=${region}`);
          break;
        }
        case "gcp":
          out.push(`gs://${bucketName}-${ns}-terraform-state/terraform/${keyName}/${stage}/default.tfstate`);
          break;
        case "azure": {
          const postfix = config.azure?.storage_account_postfix;
          if (!postfix) break;
          const account = `${bucketName}${ns}${postfix}`.replaceAll("-", "");
          out.push(`azblob://${account}/${bucketName}-${ns}-state/terraform/${keyName}-${ns}/${stage}`);
          break;
        }
      }
    }
  }
  return out;
}
