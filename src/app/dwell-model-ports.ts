import type { FittedDwell } from '../core/learning/dwell-fit.ts';
import type { FittedLink } from '../core/learning/link-fit.ts';
import type { NewNotification } from './ports.ts';

/** A version of the observed dwell models: one refit from the actual events. */
export interface DwellModelVersion {
  version: number;
  fittedAt: Date;
  /** Dwell samples the fit counted (from entitled publishers only). */
  samples: number;
  /** Shipments whose events were read. */
  shipments: number;
  /** First and last stand of the samples; null without samples. */
  period: { from: Date; to: Date } | null;
  models: FittedDwell[];
  /** Running-time samples the fit counted (from the rides' carriers only). */
  linkSamples: number;
  /** The running times learnt per link. */
  links: FittedLink[];
}

/** A model a council or platform admin froze: it stays at these values whatever is observed. */
export interface FrozenDwellModel {
  nodeId: string;
  operation: string;
  p50Hours: number;
  p90Hours: number;
  /** The version in force when it was frozen (null: the reference). */
  version: number | null;
  frozenBy: string;
  frozenAt: Date;
}

/** Where the observed dwell models and the freezes are kept. */
export interface DwellModelStore {
  /** Changes whenever a version is saved or a model frozen or unfrozen. */
  stamp(): Promise<string>;
  latest(): Promise<DwellModelVersion | undefined>;
  /**
   * Saves a new version numbered after the highest (one save at a time), with the notifications
   * it raises; returns it. Saves nothing (undefined) when the highest has the same samples
   * (dwell and running times) and period: another process fitted the same events.
   */
  save(
    version: Omit<DwellModelVersion, 'version'>,
    notifications: (version: number) => NewNotification[],
  ): Promise<DwellModelVersion | undefined>;
  frozen(): Promise<FrozenDwellModel[]>;
  /** Freezes (or freezes again at new values) a place's model. */
  freeze(model: FrozenDwellModel): Promise<void>;
  /** False when it was not frozen. */
  unfreeze(nodeId: string, operation: string): Promise<boolean>;
}
