import type { GatewayConfig } from '../config/gateway-config-schema';
import { firstRouteUnder, type FirstRoute, type RecordedInference } from './route-again';

/** What a proposed config changes for one traffic class and model group. */
export interface WhatIfRow {
  trafficClass: string;
  modelGroup: string;
  inferences: number;
  /** First routes that differ (a refusal on either side counts too). */
  routedDifferently: number;
  /** Would find no route under the proposed config (and did under the baseline). */
  newlyRefused: number;
  /** Find a route under the proposed config that the baseline refused. */
  noLongerRefused: number;
  /** The recorded answers' tokens priced on each config's first route (answered inferences only). */
  baselineCost: number;
  proposedCost: number;
}

export interface WhatIfChange {
  id: string;
  trafficClass: string;
  modelGroup: string;
  baseline: FirstRoute;
  proposed: FirstRoute;
}

export interface WhatIfReport {
  rows: WhatIfRow[];
  changes: WhatIfChange[];
}

/** Runs both configs' selection steps on every recorded inference and compares their first routes. */
export function compareConfigs(
  baseline: GatewayConfig,
  proposed: GatewayConfig,
  recorded: RecordedInference[],
): WhatIfReport {
  const rows = new Map<string, WhatIfRow>();
  const changes: WhatIfChange[] = [];
  for (const inference of recorded) {
    const { trafficClass, modelGroup } = inference.input;
    const key = `${trafficClass}\u0000${modelGroup}`;
    const row = rows.get(key) ?? {
      trafficClass,
      modelGroup,
      inferences: 0,
      routedDifferently: 0,
      newlyRefused: 0,
      noLongerRefused: 0,
      baselineCost: 0,
      proposedCost: 0,
    };
    rows.set(key, row);
    const before = firstRouteUnder(baseline, inference);
    const after = firstRouteUnder(proposed, inference);
    row.inferences += 1;
    row.baselineCost += before.cost ?? 0;
    row.proposedCost += after.cost ?? 0;
    if (before.route !== after.route) {
      row.routedDifferently += 1;
      changes.push({ id: inference.id, trafficClass, modelGroup, baseline: before, proposed: after });
    }
    if (before.route && !after.route) row.newlyRefused += 1;
    if (!before.route && after.route) row.noLongerRefused += 1;
  }
  return {
    rows: [...rows.values()].sort(
      (left, right) =>
        left.trafficClass.localeCompare(right.trafficClass) || left.modelGroup.localeCompare(right.modelGroup),
    ),
    changes,
  };
}

const money = (value: number) => value.toFixed(6);

/** The report as markdown: a table by traffic class and model group, then each changed inference. */
export function formatWhatIf(report: WhatIfReport, recordedCount: number, unreadable: number): string {
  const lines = [
    `Recorded inferences compared: ${recordedCount}${unreadable > 0 ? ` (${unreadable} more could not be read: their input is kept outside Temporal or undecodable here)` : ''}.`,
    '',
    '| traffic class | model group | inferences | routed differently | newly refused | no longer refused | cost (baseline) | cost (proposed) | difference |',
    '|---|---|---|---|---|---|---|---|---|',
    ...report.rows.map(
      (row) =>
        `| ${row.trafficClass} | ${row.modelGroup} | ${row.inferences} | ${row.routedDifferently} | ${row.newlyRefused} | ${row.noLongerRefused} | ${money(row.baselineCost)} | ${money(row.proposedCost)} | ${money(row.proposedCost - row.baselineCost)} |`,
    ),
  ];
  if (report.changes.length > 0) {
    lines.push('', 'Changed inferences (first route: baseline → proposed):', '');
    for (const change of report.changes.slice(0, 50)) {
      const side = (route: { route?: string; refusal?: string }) => route.route ?? `no route (${route.refusal})`;
      lines.push(
        `- ${change.id} (${change.trafficClass}, ${change.modelGroup}): ${side(change.baseline)} → ${side(change.proposed)}`,
      );
    }
    if (report.changes.length > 50) lines.push(`- … and ${report.changes.length - 50} more`);
  }
  lines.push(
    '',
    "Costs price the tokens each answered inference really used on each config's first route; refusals by a budget and later fallbacks are not modelled.",
  );
  return lines.join('\n');
}
