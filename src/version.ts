import pkg from "../package.json" with { type: "json" };

// Injected by build.ts; absent under `bun run`.
declare const NIC_BUILD_COMMIT: string | undefined;

export const VERSION: string = pkg.version;
export const COMMIT: string = typeof NIC_BUILD_COMMIT === "string" ? NIC_BUILD_COMMIT : "dev";
