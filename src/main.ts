#!/usr/bin/env bun
// Entry point of the nic binary. It sets the exit code and lets the process end by itself, so stdout always flushes.
import { main } from "./cli/main.ts";

process.exitCode = await main(process.argv.slice(2));
