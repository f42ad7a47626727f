// Flags of the drift and destroy commands: cheap to import, so `nic drift detect --help` loads nothing else.
import type { FlagSpecs } from "../cli/args.ts";

export const INCLUDE_IGNORED_FLAG: FlagSpecs = {
  "include-ignored": { type: "boolean", description: "Also report fields NIC leaves to others (node-group desired_size, aws:*/eks:* tags, EKS platform version)" },
};

export const YES_FLAG: FlagSpecs = {
  yes: { type: "boolean", short: "y", aliases: ["auto-approve"], description: "Confirm without a prompt (required without a terminal)" },
};
