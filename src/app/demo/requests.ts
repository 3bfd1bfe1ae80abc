import type { ServiceKind } from '../../core/directory/catalogue.ts';
import { MS_PER_DAY, MS_PER_HOUR } from '../../core/shared/units.ts';
import { actOnRequest, createRequest, type DirectoryDeps } from '../directory.ts';
import type { DemoMember } from './activity.ts';

/**
 * The service desk as the demo leaves it: requests the demo's traders sent to providers found in
 * the directory a few days ago, some still waiting for an answer, one with an offer the trader
 * can accept (valid for two more weeks), one accepted.
 */
const REQUESTS: {
  requester: string;
  provider: string;
  service: ServiceKind;
  nodeId: string;
  description: string;
  daysAgo: number;
  offer?: { price: number; currency: string; terms: string; validDays: number };
  accepted?: boolean;
}[] = [
  {
    requester: 'Lankaran Fresh Produce LLC (demo)',
    provider: 'Alat Cold Chain Terminal (demo)',
    service: 'warehousing',
    nodeId: 'AZ_ALAT_FEZ',
    description:
      'Chilled storage for two 40-ft reefer loads of persimmons a week before they leave for China, with a phytosanitary inspection before loading.',
    daysAgo: 3,
    offer: {
      price: 1800,
      currency: 'USD',
      terms: 'Per reefer load and week, inspection included; invoiced monthly.',
      validDays: 14,
    },
  },
  {
    requester: 'Qingdao Haixing Machinery Export Co. (demo)',
    provider: 'Alat Bonded Warehouse LLC (demo)',
    service: 'warehousing',
    nodeId: 'AZ_ALAT_FEZ',
    description:
      'Bonded storage for excavators arriving by Caspian ferry until the buyer in Georgia clears them, about four weeks per unit.',
    daysAgo: 2,
  },
  {
    requester: "Xi'an Silk Road Foods Import Co. (demo)",
    provider: 'SCODA Service Centre (one-stop service platform)',
    service: 'customs_brokerage',
    nodeId: 'CN_SCODA',
    description: 'Import clearance of hazelnuts from Azerbaijan arriving by rail every other week.',
    daysAgo: 1,
  },
  {
    requester: 'Ganja Hazelnut Growers LLC (demo)',
    provider: 'Alat FEZ Logistics Services (demo)',
    service: 'consolidation',
    nodeId: 'AZ_ALAT_FEZ',
    description:
      'Consolidating our hazelnut lots with other growers’ into full containers for Xi’an.',
    daysAgo: 10,
    offer: {
      price: 250,
      currency: 'USD',
      terms: 'Per tonne consolidated, stuffing and sealing included.',
      validDays: 30,
    },
    accepted: true,
  },
];

/** Sends the demo's service requests, and the offers and acceptances made on them. */
export async function seedRequests(
  deps: DirectoryDeps,
  members: ReadonlyMap<string, DemoMember>,
): Promise<void> {
  const now = deps.clock.now().getTime();
  const at = (t: number): DirectoryDeps => ({ ...deps, clock: { now: () => new Date(t) } });
  for (const r of REQUESTS) {
    const requester = members.get(r.requester)!;
    const provider = members.get(r.provider)!;
    const sent = now - r.daysAgo * MS_PER_DAY;
    const request = await createRequest(at(sent), requester.admin, {
      providerId: provider.organisation.id,
      service: r.service,
      nodeId: r.nodeId,
      description: r.description,
    });
    if (!r.offer) continue;
    const offered = sent + 5 * MS_PER_HOUR;
    await actOnRequest(at(offered), provider.admin, request.id, {
      type: 'offer',
      price: r.offer.price,
      currency: r.offer.currency,
      terms: r.offer.terms,
      validUntil: new Date(offered + r.offer.validDays * MS_PER_DAY).toISOString(),
    });
    if (r.accepted)
      await actOnRequest(at(offered + MS_PER_DAY), requester.admin, request.id, { type: 'accept' });
  }
}
