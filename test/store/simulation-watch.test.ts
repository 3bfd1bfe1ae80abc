import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationRecord } from '../../src/app/simulations.ts';
import { createOrganisation } from '../../src/app/manage-accounts.ts';
import { pgStores } from '../../src/store/account.store.ts';
import type { Database } from '../../src/store/database.ts';
import { argon2Hasher, cryptoSecrets, systemClock } from '../../src/store/security.ts';
import { PgSimulationStore } from '../../src/store/simulation.store.ts';
import { TEST_NOW } from '../support/clock.ts';
import { readShippedScenarios } from '../../src/store/network-files.ts';
import { testDatabase } from '../support/database.ts';
import { referenceNetwork } from '../support/network-files.ts';

const NOW = new Date(TEST_NOW);

/**
 * Simulations run in the server that started them. With several servers on one database, only
 * those whose server went silent are failed, never those another server is running.
 */
let database: Database;
let store: PgSimulationStore;
let record: (id: string) => SimulationRecord;
beforeAll(async () => {
  database = await testDatabase();
  store = new PgSimulationStore(database.db);
  const org = await createOrganisation(
    {
      stores: pgStores(database.db),
      clock: systemClock,
      secrets: cryptoSecrets,
      hasher: argon2Hasher,
      network: referenceNetwork(),
    },
    undefined,
    { name: 'Council', kind: 'coordinator', country: 'KZ' },
  );
  const scenario = [...(await readShippedScenarios()).values()][0]!;
  record = (id) => ({
    id,
    organisationId: org.id,
    scenario,
    days: 7,
    seed: 1,
    runs: 2,
    state: 'running',
    progress: 0,
    result: null,
    error: null,
    createdAt: new Date(NOW.getTime() - 10 * 60_000),
    finishedAt: null,
  });
});
afterAll(() => database.close());

describe('simulations left by a server that stopped', () => {
  it('fail when their server went silent, and run on when it is alive', async () => {
    await store.create(record('sim_silent'));
    await store.create(record('sim_alive'));
    // The server's clock, not the database's, stamps each sign of life and judges silence.
    await store.progress('sim_alive', 0.5, NOW);
    expect(await store.failRunning('stopped', NOW, new Date(NOW.getTime() - 60_000))).toBe(1);
    expect(await store.find('sim_silent')).toMatchObject({ state: 'failed', error: 'stopped' });
    expect(await store.find('sim_alive')).toMatchObject({ state: 'running', progress: 0.5 });
  });
});
