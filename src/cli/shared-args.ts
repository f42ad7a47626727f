// Flags several commands share, as citty args. Part of the command tree (commands.ts), so cheap to import.
import type { ArgsDef } from "citty";
import { REQUEST_TIMEOUT_FLAG } from "../net/deadlines.ts";

export const STATE_ARGS = {
  state: {
    type: "string",
    description: "State location: a path, s3://BUCKET/KEY[?lock_table=TABLE], gs://BUCKET/OBJECT or azblob://ACCOUNT/CONTAINER/BLOB (default: from the config)",
    valueHint: "LOCATION",
  },
  config: { type: "string", alias: ["f", "file"], description: "Path of nebari-config.yaml (locates the default state)", valueHint: "FILE", default: "nebari-config.yaml" },
  ...REQUEST_TIMEOUT_FLAG,
} satisfies ArgsDef;

export const LOCK_TIMEOUT_ARG = {
  "lock-timeout": { type: "string", description: "Wait this long for a state lock held by another run (e.g. 30s, 5m)", valueHint: "DURATION", default: "0s" },
} satisfies ArgsDef;
