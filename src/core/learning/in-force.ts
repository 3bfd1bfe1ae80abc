import type { DwellModel, Network } from '../network/network.ts';
import { modelInForce, type FittedDwell } from './dwell-fit.ts';

/** A place and operation whose model stays as it was frozen, whatever is observed after. */
export interface FrozenDwell {
  nodeId: string;
  operation: string;
  p50Hours: number;
  p90Hours: number;
}

/**
 * The network with the dwell models in force for a month: each reference model replaced by its
 * fitted model for that month (else the whole-year one), a frozen one by its frozen values; the
 * rest of the network as it is. The same network object when nothing is fitted or frozen. Pure.
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
    const m = f ? undefined : modelInForce(fitted, ref.node, ref.operation, month);
    // A frozen model holds in every month: the reference's months give way to it.
    const { byMonth: _months, ...yearRef } = ref;
    if (f)
      dwellModels.set(key, {
        ...yearRef,
        p50Hours: f.p50Hours,
        p90Hours: f.p90Hours,
        source: `frozen by the council at P50 ${f.p50Hours} h, P90 ${f.p90Hours} h; reference: ${ref.source}`,
      });
    else if (m && m.samples > 0)
      // The month's fitted model holds for the network of that month (it is rebuilt each month),
      // in place of the reference's own months.
      dwellModels.set(key, {
        ...yearRef,
        p50Hours: m.inForce.p50Hours,
        p90Hours: Math.max(m.inForce.p90Hours, m.inForce.p50Hours),
        source: `dwell model version ${version}: ${m.samples} observed stands blended with the reference (${ref.p50Hours}/${ref.p90Hours} h): ${ref.source}`,
      });
    else dwellModels.set(key, ref);
  }
  return { ...network, dwellModels };
}
