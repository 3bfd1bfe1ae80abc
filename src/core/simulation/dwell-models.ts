import type { Scenario } from './scenario.ts';

/**
 * The scenario with the corridor's dwell models in force: each terminal that names its places
 * and operations (`dwellModels`) processes for the sum of their P50s and P90s in force, where
 * one of them was learnt (or frozen) on the platform; the others, and a scenario that says
 * `dwell: "reference"`, keep the scenario's own process times. Pure.
 */

export interface DwellInForce {
  p50Hours: number;
  p90Hours: number;
  /** False: the reference's model, nothing learnt there. */
  learnt: boolean;
}

export interface ScenarioDwell {
  scenario: Scenario;
  /** The terminals whose process comes from the models in force, with the values used. */
  resources: { resource: string; p50Hours: number; p90Hours: number }[];
}

export function scenarioWithDwellModels(
  scenario: Scenario,
  inForce: (nodeId: string, operation: string) => DwellInForce | undefined,
): ScenarioDwell {
  if (scenario.dwell === 'reference') return { scenario, resources: [] };
  const resources: ScenarioDwell['resources'] = [];
  const next = { ...scenario.resources };
  for (const [id, r] of Object.entries(scenario.resources)) {
    if (r.type !== 'terminal' || !r.dwellModels || r.dwellModels.length === 0) continue;
    const models = r.dwellModels.map((d) => inForce(d.node, d.operation));
    if (!models.some((m) => m?.learnt) || models.some((m) => m === undefined)) continue;
    const round = (x: number) => Math.round(x * 100) / 100;
    const p50Hours = round(models.reduce((s, m) => s + m!.p50Hours, 0));
    const p90Hours = round(
      Math.max(
        p50Hours,
        models.reduce((s, m) => s + m!.p90Hours, 0),
      ),
    );
    if (!(p50Hours > 0)) continue;
    next[id] = { ...r, process: { p50Hours, p90Hours } };
    resources.push({ resource: id, p50Hours, p90Hours });
  }
  return resources.length === 0
    ? { scenario, resources }
    : { scenario: { ...scenario, resources: next }, resources };
}
