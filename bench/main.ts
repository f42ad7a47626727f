// `make bench`: every figure with its baseline measured in the same run; writes bench/results.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { round, timeCommand } from "./measure.ts";

const NIC = "dist/nic";
const HELLO = "bench/out/hello";

interface Figure {
  id: string;
  name: string;
  value: number;
  baseline: string;
  baseline_value: number;
  ratio: number;
  goal: string;
  met: boolean;
}

function buildBaseline() {
  mkdirSync("bench/out", { recursive: true });
  const build = Bun.spawnSync(["node_modules/.bin/bun", "build", "--compile", "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig", "bench/hello.ts", "--outfile", HELLO], { stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`baseline build failed: ${build.stderr}`);
}

function ratioFigure(id: string, name: string, argv: string[], baseline: { name: string; ms: number }, maxRatio: number): Figure {
  const t = timeCommand(argv);
  const ratio = round(t.median_ms / baseline.ms, 2);
  return { id, name, value: t.median_ms, baseline: baseline.name, baseline_value: baseline.ms, ratio, goal: `≤ ${maxRatio}×`, met: ratio <= maxRatio };
}

buildBaseline();
const hello = { name: "compiled Bun hello-world (ms)", ms: timeCommand([HELLO]).median_ms };
const figures: Figure[] = [
  ratioFigure("P1", "nic --help cold start (ms)", [NIC, "--help"], hello, 1.5),
  ratioFigure("P2", "nic validate -f aws.happy.yaml (ms)", [NIC, "validate", "-f", "fixtures/conformance/nebari-configs/aws.happy.yaml"], hello, 15),
];

const results = { date: new Date().toISOString().slice(0, 10), cores: cpus().length, bun: Bun.version, figures };
writeFileSync("bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
console.log(`NIC benchmarks, ${results.date}, ${results.cores} cores, bun ${results.bun}`);
for (const f of figures) {
  console.log(`${f.id}  ${f.name.padEnd(44)} ${String(f.value).padStart(8)}  baseline ${String(f.baseline_value).padStart(7)}  ratio ${String(f.ratio).padStart(6)}  goal ${f.goal.padEnd(7)} ${f.met ? "met" : "NOT MET"}`);
}
