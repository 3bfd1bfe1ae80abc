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

/**
 * The network in force and its planner, following what carriers publish and the calendar:
 * `refresh()` looks at the publications and the date, builds a new network when a version came
 * into force, and a new planner when the network changed or a new day began (the planner
 * answers for the twelve months from its day).
 * Every server process holds one and refreshes it every second, so that a publication made
 * through any of them is planned and booked on by all within seconds, without a restart.
 */
export class LiveNetwork {
  private stamp = '';
  private day = '';
  private records: ServiceRecord[];
  private readonly reference: readonly ServiceRecord[];
  private versionKey = '';

  private constructor(
    private readonly files: Readonly<Record<string, string | undefined>>,
    private readonly store: ServiceVersionStore,
    private readonly clock: Clock,
    private readonly options: PlannerOptions,
    public network: Network,
    public planner: Planner,
  ) {
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
  ): Promise<LiveNetwork> {
    const today = clock.now().toISOString().slice(0, 10);
    const live = new LiveNetwork(
      files,
      store,
      clock,
      options,
      reference,
      planner?.period.from === today ? planner : createPlanner(reference, clock, options),
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
    const day = this.clock.now().toISOString().slice(0, 10);
    const stamp = await this.store.stamp();
    if (stamp === this.stamp && day === this.day) return false;
    const published = await this.store.all();
    const { records, versions } = servicesInForce(this.reference, published, day);
    this.stamp = stamp;
    this.day = day;
    // A service's version decides its record: the same versions are the same network.
    const versionKey = JSON.stringify([...versions]);
    if (versionKey === this.versionKey) {
      if (this.planner.period.from !== day)
        this.planner = createPlanner(this.network, this.clock, this.options);
      return false;
    }
    const loaded = networkWithServices(this.files, records, versions);
    if (!loaded.ok)
      throw new Error(
        `the published services do not make a valid network: ${loaded.errors.map(formatNetworkError).join('; ')}`,
      );
    this.records = records;
    this.versionKey = versionKey;
    this.network = loaded.network;
    this.planner = createPlanner(loaded.network, this.clock, this.options);
    return true;
  }
}
