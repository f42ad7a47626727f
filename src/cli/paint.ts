// Colour for plans on a terminal, as Terraform shows them: + green, ~ yellow, -/+ magenta, - red. Only the symbol at
// the start of a line (after its indent) is painted, so the text stays the same with the colour stripped.
const COLORS: Record<string, string> = { "+": "32", "~": "33", "-/+": "35", "-": "31" };

export function paintPlan(text: string): string {
  return text.replace(/^( *)(-\/\+|\+|~|-)(?= )/gm, (_, indent: string, mark: string) => `${indent}\x1b[${COLORS[mark]}m${mark}\x1b[0m`);
}
