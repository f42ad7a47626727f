// The deploy result for people and for programs.
import type { LoadedConfig } from "../config/load.ts";
import { hasChanges } from "../engine/plan.ts";
import { applyDocument, planDocument, renderPlan } from "../engine/render.ts";
import type { DeployReport } from "./deploy.ts";
import type { OutputPaths } from "./write-outputs.ts";

export function deployDocument(loaded: LoadedConfig, report: DeployReport, stateLocation: string, paths: OutputPaths, dryRun: boolean) {
  return {
    success: true,
    dry_run: dryRun,
    provider: loaded.config.provider,
    cluster_name: loaded.config.cluster_name,
    has_changes: report.phases.some((p) => hasChanges(p.plan)),
    phases: Object.fromEntries(
      report.phases.map((p) => [p.name, { plan: planDocument(p.plan), ...(p.result && { applied: applyDocument(p.result) }) }]),
    ),
    state: { location: stateLocation, serial: report.state?.serial ?? null, lineage: report.state?.lineage ?? null },
    ...(report.outputsWritten && { outputs: paths.outputs, kubeconfig: paths.kubeconfig }),
  };
}

export function renderDeploy(report: DeployReport, dryRun: boolean): string {
  const lines: string[] = [];
  for (const p of report.phases) {
    lines.push(`== ${p.name} ==`, renderPlan(p.plan), "");
    if (p.result) lines.push(`Applied: ${p.result.done.length} done, ${p.result.adopted.length} adopted.`, "");
  }
  if (dryRun) lines.push("Dry run: nothing was changed.");
  else lines.push(`Deploy complete. State serial ${report.state?.serial}.`);
  return lines.join("\n");
}
