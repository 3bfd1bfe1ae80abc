import type { Network } from '../core/network/network.ts';
import type { ServiceRecord } from '../core/network/schema.ts';
import {
  networkWithServices,
  referenceServices,
  servicesInForce,
  type PublishedVersion,
} from '../core/network/service-versions.ts';
import { formatNetworkError } from '../core/network/load-network.ts';
import { createPlanner, type Planner, type PlannerOptions } from './plan-route.ts';
import type { Clock } from './ports.ts';
import type { ServiceVersionStore } from './schedule-ports.ts';
import type { DwellModelStore } from './dwell-model-ports.ts';
import { networkWithDwellModels } from '../core/learning/in-force.ts';
import { networkWithLinkModels } from '../core/learning/link-fit.ts';
import { monthOf } from '../core/learning/dwell-fit.ts';

/**
 * The network in force and its planner, following what carriers publish and the calendar:
 * `refresh()` looks at the publications and the date, builds a new network when a version came
 * into force, and a new planner when the network changed or a new day began (the planner
 * answers for the twelve months from its day). The dwell models in force are the observed ones
 * of the latest version (src/core/learning) for the current month, frozen ones as frozen, and
 * its learnt running times per link: a new
 * version, a freeze or a new month builds the network and the planner again too.
 * Every server process holds one and refreshes it when a publication wakes it (PostgreSQL's
 * LISTEN/NOTIFY reaches every process) and every 30 s besides, so that a publication made through
 * any of them is planned and booked on by all at once, without a restart.
 */
export class LiveNetwork {
  private stamp = '';
  private day = '';
  private records: ServiceRecord[];
  private readonly reference: readonly ServiceRecord[];
  private versionKey = '';
  /** The network of the services in force, with the reference dwell models. */
  private base: Network;
  private dwellKey = '';
  /** The dwell-model version the network's dwell models come from; null: the reference. */
  dwellModelVersion: number | null = null;

  private constructor(
    private readonly files: Readonly<Record<string, string | undefined>>,
    private readonly store: ServiceVersionStore,
    private readonly clock: Clock,
    private readonly options: PlannerOptions,
    public network: Network,
    public planner: Planner,
    private readonly dwell?: DwellModelStore,
  ) {
    this.base = network;
    this.reference = referenceServices(files);
    this.records = [...this.reference];
    this.versionKey = JSON.stringify(this.records.map((r) => [r.id, 1]));
  }

  /** Starts from the reference network of the data files (already loaded and checked). */
  static async open(
    files: Readonly<Record<string, string | undefined>>,
    reference: Network,
    store: ServiceVersionStore,
    clock: Clock,
    options: PlannerOptions = {},
    /** The reference network's planner, where one was built already (used if built today). */
    planner?: Planner,
    /** The observed dwell models; without, the reference ones stay in force. */
    dwell?: DwellModelStore,
  ): Promise<LiveNetwork> {
    const today = clock.now().toISOString().slice(0, 10);
    const live = new LiveNetwork(
      files,
      store,
      clock,
      options,
      reference,
      planner?.period.from === today ? planner : createPlanner(reference, clock, options),
      dwell,
    );
    await live.refresh();
    return live;
  }

  /** The service records in force, as services.json holds them. */
  services(): readonly ServiceRecord[] {
    return this.records;
  }

  /** The data files the network is built from. */
  dataFiles(): Readonly<Record<string, string | undefined>> {
    return this.files;
  }

  /** Ids of the services of the reference data. */
  referenceIds(): Set<string> {
    return new Set(this.reference.map((s) => s.id));
  }

  /** The reference data's record of a service, if it has one. */
  referenceRecord(serviceId: string): ServiceRecord | undefined {
    return this.reference.find((s) => s.id === serviceId);
  }

  /** The network as it will be on `day` with these versions published. */
  networkOn(day: string, versions: readonly PublishedVersion[]): Network | undefined {
    const { records, versions: v } = servicesInForce(this.reference, versions, day);
    const loaded = networkWithServices(this.files, records, v);
    return loaded.ok ? loaded.network : undefined;
  }

  /**
   * Builds the network again when a version was published or came into force since the last
   * look; true when it changed. Throws when the database cannot be read (the network in force
   * stays) or the publications no longer make a valid network (idem, with the problems).
   */
  async refresh(): Promise<boolean> {
    const services = await this.refreshServices();
    const dwell = await this.refreshDwell();
    if (services || dwell) {
      this.planner = createPlanner(this.network, this.clock, {
        ...this.options,
        dwellModelVersion: this.dwellModelVersion,
      });
      return true;
    }
    if (this.planner.period.from !== this.day)
      this.planner = createPlanner(this.network, this.clock, {
        ...this.options,
        dwellModelVersion: this.dwellModelVersion,
      });
    return false;
  }

  /** The services in force: true when the base network changed. */
  private async refreshServices(): Promise<boolean> {
    const day = this.clock.now().toISOString().slice(0, 10);
    const stamp = await this.store.stamp();
    if (stamp === this.stamp && day === this.day) return false;
    const published = await this.store.all();
    const { records, versions } = servicesInForce(this.reference, published, day);
    this.stamp = stamp;
    this.day = day;
    // A service's version decides its record: the same versions are the same network.
    const versionKey = JSON.stringify([...versions]);
    if (versionKey === this.versionKey) return false;
    const loaded = networkWithServices(this.files, records, versions);
    if (!loaded.ok)
      throw new Error(
        `the published services do not make a valid network: ${loaded.errors.map(formatNetworkError).join('; ')}`,
      );
    this.records = records;
    this.versionKey = versionKey;
    this.base = loaded.network;
    this.dwellKey = '';
    return true;
  }

  /**
   * The dwell models in force laid over the base network: true when they changed (a new
   * version, a freeze, a new month) or the base network did.
   */
  private async refreshDwell(): Promise<boolean> {
    if (!this.dwell) {
      const changed = this.network !== this.base;
      this.network = this.base;
      return changed;
    }
    const month = monthOf(this.clock.now().getTime());
    const key = `${await this.dwell.stamp()}|${month}`;
    if (key === this.dwellKey) return false;
    const [latest, frozen] = await Promise.all([this.dwell.latest(), this.dwell.frozen()]);
    this.dwellKey = key;
    this.dwellModelVersion = latest?.version ?? null;
    this.network = networkWithDwellModels(
      networkWithLinkModels(this.base, latest?.links ?? []),
      latest?.models ?? [],
      frozen,
      month,
      latest?.version ?? 0,
    );
    return true;
  }
}
