// ARM ids: `/subscriptions/S/resourceGroups/<group>[/providers/<ns>/<type>/<name>[/<childType>/<child>]]`. The kinds look a
// tracked resource up by its id (an imported Terraform state records only ids), else by the names Nebari gives it.

export interface ArmIdParts {
  group: string;
  name?: string;
  child?: string;
}

export function parseArmId(id: string | undefined): ArmIdParts | undefined {
  const m = /\/resourceGroups\/([^/]+)(?:\/providers\/[^/]+\/[^/]+\/([^/]+)(?:\/[^/]+\/([^/]+))?)?\/?$/i.exec(id ?? "");
  return m ? { group: m[1]!, ...(m[2] ? { name: m[2] } : {}), ...(m[3] ? { child: m[3] } : {}) } : undefined;
}
