// `make bench`: every figure with its baseline measured in the same run; writes bench/results.json.
// Set BENCH_ONLY=startup to skip the sandbox and Terraform figures; BENCH_ONLY=graph runs only P4 and P7, with the real Terraform applying stage 02 beside P7 (printed, nothing written).
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { measureImport } from "../src/terraform/bench.ts";
import { AWS_LATENCY_MS, createFigures, type CreateFigures } from "./create.ts";
import { AZURE_LATENCY_MS, azureFigures } from "./azure.ts";
import { GCP_LATENCY_MS, gcpFigures } from "./gcp.ts";
import { deployFigures } from "./deploy.ts";
import { profileFigures, type ProfileFigures } from "./profile.ts";
import { round, timeCommand } from "./measure.ts";

const NIC = "dist/nic";
const HELLO = "bench/out/hello";

interface Figure {
  id: string;
  name: string;
  value: number;
  baseline: string;
  baseline_value: number | null;
  ratio: number | null;
  goal: string;
  met: boolean;
}

function buildBaseline() {
  mkdirSync("bench/out", { recursive: true });
  const build = Bun.spawnSync(["node_modules/.bin/bun", "build", "--compile", "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig", "bench/hello.ts", "--outfile", HELLO], { stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`baseline build failed: ${build.stderr}`);
}

function ratio(id: string, name: string, value: number, baseline: string, baselineValue: number, maxRatio: number): Figure {
  const r = round(value / baselineValue, 3);
  return { id, name, value, baseline, baseline_value: baselineValue, ratio: r, goal: `≤ ${maxRatio}×`, met: r <= maxRatio };
}

function absolute(id: string, name: string, value: number, max: number, unit: string, baseline = "", baselineValue: number | null = null): Figure {
  return { id, name, value, baseline, baseline_value: baselineValue, ratio: null, goal: `≤ ${max} ${unit}`, met: value <= max };
}

buildBaseline();
const hello = timeCommand([HELLO]).median_ms;
const figures: Figure[] = [
  ratio("P1", "nic --help cold start (ms)", timeCommand([NIC, "--help"]).median_ms, "compiled Bun hello-world (ms)", hello, 1.5),
  ratio("P2", "nic validate -f aws.happy.yaml (ms)", timeCommand([NIC, "validate", "-f", "fixtures/conformance/nebari-configs/aws.happy.yaml"]).median_ms, "compiled Bun hello-world (ms)", hello, 15),
];

const imports = await measureImport();
figures.push(
  absolute("P5a", "nic import of a Nebari-size state, NIC's own time (ms)", imports.nebari_size_import_ms, 200, "ms"),
  absolute("P5b", "parse+map 10,000-resource Terraform state (ms)", imports.parse_and_map_10k_ms, 2000, "ms", "1,000 resources (ms)", imports.parse_and_map_1k_ms),
  absolute("P6a", "binary size, linux-x64 (MB)", round(statSync(NIC).size / 1e6), 150, "MB"),
);

const only = process.env.BENCH_ONLY;
let create: CreateFigures | undefined;
let graph: ProfileFigures | undefined;
if (only !== "startup" && only !== "graph") {
  const d = await deployFigures(NIC);
  figures.push(
    ratio("P3", `no-op nic deploy (ms; ${d.nic_requests} AWS requests)`, d.nic_noop_ms, `terraform plan (ms; ${d.terraform_requests} requests)`, d.terraform_plan_ms, 0.1),
    absolute("P3r", "AWS requests of a no-op nic deploy", d.nic_requests, 30, "requests", "terraform plan requests", d.terraform_requests),
    absolute("P6b", "peak RSS of a no-op nic deploy (MB)", d.nic_peak_rss_mb, 150, "MB", "terraform plan peak RSS (MB)", d.terraform_peak_rss_mb),
  );
}
if (only !== "startup" && only !== "graph") {
  const az = await azureFigures(NIC);
  figures.push(
    ratio("P3az", `no-op nic deploy on Azure (ms; ${az.noop_requests} ARM requests)`, az.noop_ms, "azure-cli reading the same 4 objects at once (ms)", az.az_read_ms, 0.5),
    absolute("P3azr", "ARM and Azure AD requests of a no-op nic deploy on Azure (sign-in 2, check 1, 5 reads, credentials 1)", az.noop_requests, 9, "requests"),
    ratio("P4az", `full create on Azure, ${AZURE_LATENCY_MS} ms per ARM call (ms; startup ${az.create_parts.startup}, read ${az.create_parts.read}, apply ${az.create_parts.apply})`, az.create_ms, `critical-path bound, AKS operations serial (ms; chain ${az.chain.map((s) => s.address.split("/").pop()).join(" → ")})`, az.bound_ms, 1.3),
  );
}
if (only !== "startup" && only !== "graph") {
  const g = await gcpFigures(NIC);
  figures.push(
    ratio("P3gcp", `no-op nic deploy on GCP (ms; ${g.noop_requests} GCP requests)`, g.noop_ms, "gcloud reading the same 4 objects at once (ms)", g.gcloud_read_ms, 0.5),
    absolute("P3gcpr", "GCP requests of a no-op nic deploy on GCP (check 1; repository, account, policy, cluster, pools 1 each)", g.noop_requests, 6, "requests"),
    ratio("P4gcp", `full create on GCP, ${GCP_LATENCY_MS} ms per GCP call (ms; startup ${g.create_parts.startup}, read ${g.create_parts.read}, apply ${g.create_parts.apply})`, g.create_ms, `critical-path bound, GKE operations serial per cluster (ms; chain ${g.chain.map((s) => s.address.split("/").pop()).join(" → ")})`, g.bound_ms, 1.3),
  );
}
if (only !== "startup") {
  create = await createFigures(NIC);
  figures.push(ratio("P4", `full create, ${AWS_LATENCY_MS} ms per AWS call, Kubernetes API without added latency (ms)`, create.measured_ms, "critical-path bound (ms)", create.bound_ms, 1.3));
}

if (only !== "startup") {
  graph = await profileFigures(NIC);
  const name = `full create, realistic profile (AWS ÷ ${graph.scale}), --wait (ms)`;
  figures.push(
    ratio("P7a", name, graph.wall_ms, "one graph's critical path (ms)", graph.one_graph_ms, 1.1),
    ratio("P7b", name, graph.wall_ms, "two-stage sum: stage 02's + stage 03's critical path (ms)", graph.two_stage_ms, 0.75),
  );
}

const p4 = create && { measured_parts: create.measured_parts, bound_parts: create.bound_parts, chain: create.chain };
const results = { date: new Date().toISOString().slice(0, 10), cores: cpus().length, bun: Bun.version, figures, ...(p4 && { p4 }), ...(graph && { p7: graph }) };
if (only !== "graph") writeFileSync("bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
console.log(`NIC benchmarks, ${results.date}, ${results.cores} cores, bun ${results.bun}`);
for (const f of figures) {
  const base = f.baseline ? `  vs ${f.baseline} ${f.baseline_value}` : "";
  const r = f.ratio === null ? "" : `  ratio ${f.ratio}`;
  console.log(`${f.id.padEnd(4)} ${f.name}: ${f.value}${base}${r}  goal ${f.goal}  ${f.met ? "met" : "NOT MET"}`);
}
if (create) {
  const parts = (p: Record<string, number>) => Object.entries(p).map(([k, v]) => `${k.replace("_", " ")} ${v}`).join(" + ");
  console.log(`P4   measured = ${parts(create.measured_parts)} ms`);
  console.log(`P4   bound = ${parts(create.bound_parts)} ms; its chain (ms alone): ${create.chain.map((s) => `${s.address} (${s.ms})`).join(" → ")}`);
}
if (graph) {
  console.log(`P7   stage 02 ${graph.stage02_ms} + stage 03 ${graph.stage03_ms} = ${graph.two_stage_ms} ms two-stage; one graph ${graph.one_graph_ms} ms; wall ${graph.wall_ms} ms`);
  console.log(`P7   one graph's chain (ms in the run): ${graph.chain.map((s) => `${s.address} (${s.ms})`).join(" → ")}`);
  // No schedule finishes before stage 02's critical path (no Kubernetes object is on it), so P7b's ratio cannot go below this.
  console.log(`P7   floor of P7b for any tool: stage 02 ÷ two-stage sum = ${round(graph.stage02_ms / graph.two_stage_ms, 3)}`);
  console.log(`P7   real Terraform 1.11.4, stage 02 alone, same profile: terraform apply ${graph.terraform_stage02_ms} ms; NIC had stage 02 done at ${graph.nic_stage02_done_ms} ms and both stages at ${graph.wall_ms} ms`);
}

/** The README's figure table is written only here, between its bench markers. */
function readmeTable(): string {
  const rows = figures.map((f) => {
    const base = f.baseline ? `${f.baseline}: ${f.baseline_value}` : "";
    return `| ${f.id} | ${f.name} | ${f.value} | ${base} | ${f.ratio === null ? "" : `${f.ratio}×`} | ${f.goal} | ${f.met ? "met" : "NOT met"} |`;
  });
  return [
    `Last \`make bench\`: ${results.date}, ${results.cores} cores, bun ${results.bun} (a shared, noisy machine; figures are medians).`,
    "",
    "| id | figure | value | baseline (same run) | ratio | goal | |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

if (only !== "startup" && only !== "graph") {
  const readme = readFileSync("README.md", "utf8");
  writeFileSync("README.md", readme.replace(/<!-- bench:start -->\n[\s\S]*?<!-- bench:end -->/, `<!-- bench:start -->\n${readmeTable()}\n<!-- bench:end -->`));
}
