// Speed of `nic import`'s own work, for bench/ (`bun src/terraform/bench.ts` prints JSON):
// - parse + map of synthetic states of 1,000 and 10,000 resources (goal: 10,000 in ≤ 2 s, growing linearly);
// - a Nebari-size import (the genuine AWS example) without the cloud: parse, map, desired, plan, state (goal: ≤ 200 ms).
// The cloud calls are replaced by an observe() that answers at once, so only NIC's time is measured.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../config/load.ts";
import type { Actual, ResourceKind } from "../engine/types.ts";
import { desiredResources } from "../providers/aws/desired.ts";
import { serializeState } from "../state/format.ts";
import { importedState, type ImportCheck } from "./import.ts";
import { mapState } from "./map.ts";
import { AWS_RULES } from "./maps/aws.ts";
import { parseTerraformState } from "./tfstate.ts";
import { verifyPhase } from "./verify.ts";

const ROOT = join(import.meta.dir, "../..");

/** A state of `n` resources shaped like Nebari's: subnets, node groups and unknown resources with ~20 attributes each. */
export function syntheticState(n: number): string {
  const resources = [];
  for (let i = 0; i < n; i++) {
    const type = ["aws_subnet", "aws_eks_node_group", "aws_cloudwatch_log_group"][i % 3]!;
    const attributes: Record<string, unknown> = { id: `${type}-${i}`, arn: `arn:aws:ec2:us-west-2:123456789012:${type}/${i}`, node_group_name: `group-${i}`, cluster_name: "nic-dev" };
    for (let k = 0; k < 16; k++) attributes[`field_${k}`] = k % 2 ? `value-${i}-${k}` : { nested: [k, i], tags: { Name: `n-${i}` } };
    resources.push({ mode: "managed", module: type === "aws_subnet" ? "module.network[0]" : "module.kubernetes", type, name: `r${i}`, provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ index_key: i, schema_version: 0, attributes }] });
  }
  return JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "bench", outputs: {}, resources });
}

function median(run: () => unknown, times: number): number {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(times / 2)]!;
}

/** observe() that finds every resource at once, with the desired attributes: the cloud at zero cost. */
function instantKind(kind: string): ResourceKind {
  const fail = () => Promise.reject(new Error("bench: no changes"));
  return {
    kind,
    timeoutMs: 1,
    observe: async (batch) => new Map(batch.map((l): [string, Actual] => [l.address, { id: l.tracked?.id ?? l.address, attributes: l.desired?.attributes ?? {} }])),
    create: fail,
    update: fail,
    delete: fail,
  };
}

async function nebariSizeImport(): Promise<number> {
  const text = readFileSync(join(ROOT, "fixtures/tfstate/aws-example.tfstate.json"), "utf8");
  const loaded = loadConfig(join(ROOT, "fixtures/configs/demo-aws.yaml"), { env: {} });
  const samples: number[] = [];
  for (let i = 0; i < 15; i++) {
    const started = performance.now();
    const mapping = mapState(parseTerraformState(text, "example"), AWS_RULES, { namespace: loaded.config.namespace });
    const desired = desiredResources(loaded.config);
    const kinds = [...new Set(desired.map((r) => r.kind))].map(instantKind);
    const cloud = await verifyPhase({ name: "cloud", mapping, desired, kinds }, new AbortController().signal);
    const check = { cloud } as ImportCheck;
    serializeState(importedState(loaded, check));
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[7]!;
}

export async function measureImport() {
  const small = syntheticState(1_000);
  const large = syntheticState(10_000);
  const parseAndMap = (text: string) => mapState(parseTerraformState(text, "bench"), AWS_RULES, { namespace: "dev" });
  const ms1k = median(() => parseAndMap(small), 7);
  const ms10k = median(() => parseAndMap(large), 5);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    parse_and_map_1k_ms: round(ms1k),
    parse_and_map_10k_ms: round(ms10k),
    /** 10× the resources should take about 10× the time: well under 20× means linear. */
    growth_10x: round(ms10k / ms1k),
    nebari_size_import_ms: round(await nebariSizeImport()),
    goals: { parse_and_map_10k_ms: 2000, nebari_size_import_ms: 200 },
  };
}

if (import.meta.main) console.log(JSON.stringify(await measureImport(), null, 2));
