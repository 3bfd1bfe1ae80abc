import type { DwellModel, Network } from '../network/network.ts';
import { modelInForce, type DwellReference, type FittedDwell } from './dwell-fit.ts';

/** A place and operation whose model stays as it was frozen, whatever is observed after. */
export interface FrozenDwell {
  nodeId: string;
  operation: string;
  p50Hours: number;
  p90Hours: number;
}

/** The network's dwell models as the fit's references (priors), with their months. */
export function dwellReferences(network: Network): DwellReference[] {
  return [...network.dwellModels.values()].map((d) => ({
    nodeId: d.node,
    operation: d.operation,
    p50Hours: d.p50Hours,
    p90Hours: d.p90Hours,
    ...(d.byMonth ? { byMonth: d.byMonth } : {}),
  }));
}

/**
 * The network with the dwell models in force for a month. A reference model without months is
 * replaced by its fitted model for that month (else the whole-year one). A reference model given
 * by month keeps its months: each month with observations is that month's fit (the reference's
 * own month updated by them), each month without keeps the reference's value, and the
 * whole-year values are the whole-year fit. A frozen model holds its frozen values in every
 * month. The rest of the network as it is; the same network object when nothing is fitted or
 * frozen. Pure.
 */
export function networkWithDwellModels(
  network: Network,
  fitted: readonly FittedDwell[],
  frozen: readonly FrozenDwell[],
  month: number,
  version: number,
): Network {
  if (fitted.length === 0 && frozen.length === 0) return network;
  const dwellModels = new Map<string, DwellModel>();
  for (const [key, ref] of network.dwellModels) {
    const f = frozen.find((x) => x.nodeId === ref.node && x.operation === ref.operation);
    const cell = f
      ? []
      : fitted.filter((x) => x.nodeId === ref.node && x.operation === ref.operation);
    const observed = cell.filter((x) => x.samples > 0);
    // A frozen model holds in every month: the reference's months give way to it.
    const { byMonth, ...yearRef } = ref;
    const source = (n: number) =>
      `dwell model version ${version}: ${n} observed stands blended with the reference (${ref.p50Hours}/${ref.p90Hours} h): ${ref.source}`;
    const values = (p: { p50Hours: number; p90Hours: number }) => ({
      p50Hours: p.p50Hours,
      p90Hours: Math.max(p.p90Hours, p.p50Hours),
    });
    if (f)
      dwellModels.set(key, {
        ...yearRef,
        p50Hours: f.p50Hours,
        p90Hours: f.p90Hours,
        source: `frozen by the council at P50 ${f.p50Hours} h, P90 ${f.p90Hours} h; reference: ${ref.source}`,
      });
    else if (observed.length === 0) dwellModels.set(key, ref);
    else if (byMonth) {
      const year = observed.find((x) => x.month === 0);
      dwellModels.set(key, {
        ...ref,
        ...(year ? values(year.inForce) : {}),
        byMonth: byMonth.map((m, i) => {
          const fit = observed.find((x) => x.month === i + 1);
          return fit ? values(fit.inForce) : m;
        }),
        source: source(year?.samples ?? 0),
      });
    } else {
      const m = modelInForce(observed, ref.node, ref.operation, month)!;
      // Without months in the reference, the month's fit holds for the network of that month
      // (it is rebuilt each month).
      dwellModels.set(key, { ...yearRef, ...values(m.inForce), source: source(m.samples) });
    }
  }
  return { ...network, dwellModels };
}
