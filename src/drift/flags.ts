// Flags of the drift and destroy commands: cheap to import, so `nic drift detect --help` loads nothing else.
import type { ArgsDef } from "citty";

export const INCLUDE_IGNORED_ARG = {
  "include-ignored": { type: "boolean", description: "Also report fields NIC leaves to others (node-group desired_size, aws:*/eks:* tags, EKS platform version)" },
} satisfies ArgsDef;

export const YES_ARG = {
  yes: { type: "boolean", alias: ["y", "auto-approve"], description: "Confirm without a prompt (required without a terminal)" },
} satisfies ArgsDef;
