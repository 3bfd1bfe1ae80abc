import type { AccountDeps } from './actor.ts';
import { createOrganisation, createUser, type NewOrganisation } from './manage-accounts.ts';
import type { Role } from './ports.ts';

/** One demo sign-in, printed once at first start and never stored in clear. */
export interface DemoCredential {
  organisation: string;
  email: string;
  role: Role;
  password: string;
}

interface DemoOrganisation extends NewOrganisation {
  domain: string;
  officers?: boolean;
}

/**
 * The corridor's kinds of participants. Company names of shippers, forwarders and providers are
 * made up; carriers, ports, customs and the council are the real institutions by role.
 */
const DEMO: DemoOrganisation[] = [
  {
    name: 'Corridor platform operator',
    kind: 'platform',
    country: 'AZ',
    domain: 'corridor-platform',
  },
  {
    name: 'Qingdao Haixing Machinery Export Co. (demo)',
    kind: 'shipper',
    country: 'CN',
    domain: 'haixing-export',
  },
  {
    name: 'SCODA Multimodal Forwarding Co. (demo)',
    kind: 'forwarder',
    country: 'CN',
    domain: 'scoda-forwarding',
  },
  {
    name: 'KTZ Express',
    kind: 'carrier',
    country: 'KZ',
    domain: 'ktz-express',
    services: [
      'SVC_XIAN_BAKU_BLOCK',
      'SVC_BAKU_XIAN_BLOCK',
      'SVC_CHINA_GEORGIA_PORTS_BLOCK',
      'SVC_ALTYNKOL_POTI_SHUTTLE',
      'SVC_LIANYUNGANG_ALTYNKOL',
      'SVC_SOUTHERN_CN_KZ_TM_IR',
      'SVC_CHINA_TURKEY_BTK',
    ],
  },
  {
    name: 'ASCO (Azerbaijan Caspian Shipping)',
    kind: 'carrier',
    country: 'AZ',
    domain: 'asco',
    services: [
      'SVC_ASCO_RAIL_FERRY_AKTAU_ALAT',
      'SVC_ASCO_RAIL_FERRY_ALAT_AKTAU',
      'SVC_ASCO_ROPAX_KURYK_ALAT',
      'SVC_ASCO_ROPAX_ALAT_KURYK',
      'SVC_TURKMENBASHI_ALAT',
      'SVC_ALAT_TURKMENBASHI',
      'SVC_FEEDER_AKTAU_ALAT',
      'SVC_FEEDER_ALAT_AKTAU',
    ],
  },
  {
    name: 'ADY Express',
    kind: 'carrier',
    country: 'AZ',
    domain: 'ady-express',
    services: ['SVC_ADY_EXPRESS_ALAT_POTI', 'SVC_ADY_EXPRESS_POTI_ALAT'],
  },
  {
    name: 'Georgian Railway',
    kind: 'carrier',
    country: 'GE',
    domain: 'georgian-railway',
    services: [
      'SVC_ADY_EXPRESS_ALAT_POTI',
      'SVC_ADY_EXPRESS_POTI_ALAT',
      'SVC_ALTYNKOL_POTI_SHUTTLE',
    ],
  },
  {
    name: 'Baku International Sea Trade Port',
    kind: 'terminal',
    country: 'AZ',
    domain: 'port-baku',
  },
  {
    name: 'General Administration of Customs of China',
    kind: 'customs',
    country: 'CN',
    domain: 'customs-cn',
    officers: true,
    customsOffices: [
      { code: 'CNHRS001', name: 'Khorgos customs', nodeId: 'CN_KHORGOS' },
      { code: 'CNAKL001', name: 'Alashankou customs', nodeId: 'CN_ALASHANKOU' },
      { code: 'CNTAO001', name: 'Qingdao customs', nodeId: 'CN_QINGDAO_PORT' },
    ],
  },
  {
    name: 'State Revenue Committee of Kazakhstan (customs)',
    kind: 'customs',
    country: 'KZ',
    domain: 'customs-kz',
    officers: true,
    customsOffices: [
      { code: 'KZAAU001', name: 'Aktau port customs', nodeId: 'KZ_AKTAU_PORT' },
      { code: 'KZKUR001', name: 'Kuryk port customs', nodeId: 'KZ_KURYK_PORT' },
      { code: 'KZALA001', name: 'Almaty customs', nodeId: 'KZ_ALMATY' },
    ],
  },
  {
    name: 'State Customs Committee of Azerbaijan',
    kind: 'customs',
    country: 'AZ',
    domain: 'customs-az',
    officers: true,
    customsOffices: [
      { code: 'AZBAK001', name: 'Alat port customs', nodeId: 'AZ_BAKU_PORT_ALAT' },
      { code: 'AZBAK002', name: 'Alat FEZ customs post', nodeId: 'AZ_ALAT_FEZ' },
    ],
  },
  {
    name: 'Revenue Service of Georgia (customs)',
    kind: 'customs',
    country: 'GE',
    domain: 'customs-ge',
    officers: true,
    customsOffices: [
      { code: 'GEGAR001', name: 'Gardabani rail customs', nodeId: 'GE_GARDABANI' },
      { code: 'GETBS001', name: 'Tbilisi customs', nodeId: 'GE_TBILISI' },
      { code: 'GEPTI001', name: 'Poti port customs', nodeId: 'GE_POTI_PORT' },
      { code: 'GEBUS001', name: 'Batumi port customs', nodeId: 'GE_BATUMI_PORT' },
    ],
  },
  {
    name: 'Middle Corridor coordinating council',
    kind: 'coordinator',
    country: 'KZ',
    domain: 'corridor-council',
  },
  {
    name: 'Alat FEZ Logistics Services (demo)',
    kind: 'service_provider',
    country: 'AZ',
    domain: 'alat-fez-services',
  },
];

/**
 * Creates the demo organisations and one admin per organisation (and an officer per customs
 * administration) when the database has no organisation yet. Passwords are generated; the
 * returned credentials are the only place they appear.
 */
export async function seedDemo(
  deps: AccountDeps,
): Promise<{ created: boolean; credentials: DemoCredential[] }> {
  if ((await deps.stores.organisations.count()) > 0) return { created: false, credentials: [] };
  const credentials: DemoCredential[] = [];
  for (const d of DEMO) {
    const { domain, officers, ...input } = d;
    const org = await createOrganisation(deps, undefined, input);
    const people: { local: string; name: string; role: Role }[] = [
      { local: 'admin', name: `${org.name} admin`, role: 'admin' },
    ];
    if (officers) people.push({ local: 'officer', name: `${org.name} officer`, role: 'officer' });
    for (const p of people) {
      const email = `${p.local}@${domain}.example`;
      const { password } = await createUser(deps, undefined, org.id, {
        email,
        name: p.name,
        role: p.role,
      });
      credentials.push({ organisation: org.name, email, role: p.role, password: password! });
    }
  }
  return { created: true, credentials };
}
