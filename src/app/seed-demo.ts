import type { ServiceKind, Language } from '../core/directory/catalogue.ts';
import { resolvePlace } from '../core/network/places.ts';
import type { AccountDeps } from './actor.ts';
import { createOrganisation, createUser, type NewOrganisation } from './manage-accounts.ts';
import type { DirectoryStore } from './ports.ts';
import type { OrganisationKind, Role } from './account-ports.ts';

/** One demo sign-in, printed once at first start and never stored in clear. */
export interface DemoCredential {
  organisation: string;
  kind: OrganisationKind;
  email: string;
  role: Role;
  password: string;
}

interface DemoOrganisation extends NewOrganisation {
  domain: string;
  officers?: boolean;
  /** Its directory profile (made-up companies only) and trade listings. */
  profile?: {
    services: ServiceKind[];
    countries: string[];
    nodes: string[];
    languages: Language[];
    exportsHs?: string[];
    importsHs?: string[];
    descriptions: Partial<Record<Language, string>>;
  };
  listings?: {
    kind: 'export' | 'import';
    hsCode: string;
    description: string;
    place: string;
    tonnesPerMonth: number;
    partnerCountries: string[];
  }[];
}

/**
 * The corridor's kinds of participants. Company names of shippers, forwarders and providers are
 * made up (marked "(demo)"); carriers, ports, customs and the council are the real institutions
 * by role. Every service of the reference data has at least one carrier here, so that every ride
 * the planner offers can be confirmed by a demo account.
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
    profile: {
      services: [],
      countries: ['CN'],
      nodes: ['CN_QINGDAO_PORT'],
      languages: ['zh', 'en'],
      exportsHs: ['8429', '8474'],
      descriptions: {
        en: 'Maker and exporter of road-building and construction machinery, shipping to Central Asia and the Caucasus.',
        zh: '筑路和工程机械制造及出口企业，发往中亚和高加索地区。',
      },
    },
    listings: [
      {
        kind: 'export',
        hsCode: '842952',
        description: 'Hydraulic excavators',
        place: 'CN_SCODA_MTC',
        tonnesPerMonth: 120,
        partnerCountries: ['KZ', 'AZ', 'GE'],
      },
    ],
  },
  {
    name: 'SCODA Multimodal Forwarding Co. (demo)',
    kind: 'forwarder',
    country: 'CN',
    domain: 'scoda-forwarding',
    profile: {
      services: [
        'freight_forwarding',
        'customs_brokerage',
        'consolidation',
        'warehousing',
        'trade_finance',
        'translation',
      ],
      countries: ['CN', 'KZ', 'AZ'],
      nodes: ['CN_SCODA_MTC', 'CN_SCODA', 'CN_QINGDAO_PORT'],
      languages: ['zh', 'en', 'ru'],
      descriptions: {
        en: 'One-stop service at the SCODA multimodal hub in Jiaozhou: rail and sea forwarding on the Middle Corridor, customs clearance, consolidation of LCL cargo, bonded warehousing and trade finance for SCO trade.',
        zh: '上合示范区多式联运中心一站式服务：中欧班列与海运代理、报关、拼箱、保税仓储及贸易融资。',
        ru: 'Единое окно в мультимодальном хабе ШОС в Цзяочжоу: экспедирование по Среднему коридору, таможенное оформление, консолидация грузов, склад и торговое финансирование.',
      },
    },
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
  // The Qilu trains' operator, the Qingdao port's sea-rail shuttle and the Northern route's
  // alliance as data/reference.md names them (link table 2.2 and section 8.1: [S70], [S63]).
  {
    name: 'Shandong Hi-speed Group (Qilu China-Europe trains)',
    kind: 'carrier',
    country: 'CN',
    domain: 'shandong-hi-speed',
    services: [
      'SVC_QILU_SCODA_CENTRAL_ASIA',
      'SVC_QILU_SCODA_TRANS_CASPIAN',
      'SVC_QILU_SCODA_DUISBURG',
    ],
  },
  {
    name: 'CRIntermodal Qingdao Central Station',
    kind: 'carrier',
    country: 'CN',
    domain: 'crintermodal-qingdao',
    services: ['SVC_QINGDAO_PORT_SCODA_SHUTTLE', 'SVC_QILU_SCODA_CENTRAL_ASIA'],
  },
  {
    name: 'UTLC ERA (Eurasian Rail Alliance)',
    kind: 'carrier',
    country: 'RU',
    domain: 'utlc-era',
    services: ['SVC_NORTHERN_XIAN_DUISBURG'],
  },
  // The sources name no single company for these: made-up lines and hauliers stand for them.
  {
    name: 'Asia–North Europe Container Line (demo)',
    kind: 'carrier',
    country: 'CN',
    domain: 'asia-europe-line',
    services: ['SVC_SUEZ_QINGDAO_ROTTERDAM'],
  },
  {
    name: 'Euxine Feeder Line (demo)',
    kind: 'carrier',
    country: 'GE',
    domain: 'euxine-feeder',
    services: ['SVC_POTI_CONSTANTA_FEEDER'],
  },
  {
    name: 'SCODA Road Haulage Co. (demo)',
    kind: 'carrier',
    country: 'CN',
    domain: 'scoda-haulage',
    services: ['SVC_SCODA_FEZ_SHUTTLE', 'SVC_SCODA_MTC_FEZ_SHUTTLE'],
  },
  {
    name: 'Alat FEZ Trucking LLC (demo)',
    kind: 'carrier',
    country: 'AZ',
    domain: 'alat-fez-trucking',
    services: ['SVC_ALAT_FEZ_SHUTTLE', 'SVC_ALAT_PORT_FEZ_SHUTTLE'],
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
      // The two China–Kazakhstan rail crossings of the Middle Corridor, Dostyk and
      // Khorgos/Altynkol (data/reference.md §1 [S1], §2 [S51][S54]). Neither place has a
      // UN/LOCODE (2014 edition [S124]): the three letters after KZ are the platform's.
      {
        code: 'KZALT001',
        name: 'Altynkol (Khorgos) customs',
        nodeId: 'KZ_ALTYNKOL_KHORGOS_GATEWAY',
      },
      { code: 'KZDSK001', name: 'Dostyk customs', nodeId: 'KZ_DOSTYK' },
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
    profile: {
      services: [
        'free_zone_residency',
        'warehousing',
        'consolidation',
        'customs_brokerage',
        'cargo_insurance',
      ],
      countries: ['AZ'],
      nodes: ['AZ_ALAT_FEZ', 'AZ_BAKU_PORT_ALAT'],
      languages: ['az', 'en', 'ru', 'tr'],
      descriptions: {
        en: 'Warehousing, consolidation and residency services in the Alat Free Economic Zone next to the Baku port: bonded storage, cross-docking between rail and Caspian feeders, company set-up for free-zone residents.',
        az: 'Ələt Azad İqtisadi Zonasında anbar, konsolidasiya və rezidentlik xidmətləri: gömrük anbarı, dəmir yolu ilə Xəzər gəmiləri arasında yükaşırma.',
        ru: 'Складские услуги, консолидация и резидентство в свободной экономической зоне Алят у Бакинского порта.',
      },
    },
  },
  {
    name: 'Steppe Transit Logistics LLP (demo)',
    kind: 'forwarder',
    country: 'KZ',
    domain: 'steppe-transit',
    profile: {
      services: ['freight_forwarding', 'customs_brokerage', 'consolidation'],
      countries: ['KZ', 'CN', 'AZ'],
      nodes: ['KZ_ALTYNKOL_KHORGOS_GATEWAY', 'KZ_AKTAU_PORT', 'KZ_DOSTYK'],
      languages: ['kk', 'ru', 'en', 'zh'],
      descriptions: {
        en: 'Rail forwarding through Altynkol and Dostyk and Caspian bookings from Aktau; EAEU transit declarations.',
        kk: 'Алтынкөл және Достық арқылы теміржол экспедициясы, Ақтаудан Каспий арқылы тасымалдау.',
        ru: 'Железнодорожное экспедирование через Алтынколь и Достык, отправки через Актау по Каспию, транзит ЕАЭС.',
      },
    },
  },
  {
    name: 'Black Sea Bridge Forwarding LLC (demo)',
    kind: 'forwarder',
    country: 'GE',
    domain: 'black-sea-bridge',
    profile: {
      services: ['freight_forwarding', 'customs_brokerage', 'warehousing'],
      countries: ['GE', 'AZ', 'TR'],
      nodes: ['GE_POTI_PORT', 'GE_BATUMI_PORT', 'GE_TBILISI'],
      languages: ['ka', 'en', 'ru', 'tr'],
      descriptions: {
        en: 'Forwarding and warehousing at Poti and Batumi: rail from Baku, Black Sea feeders to Constanța, NCTS transit.',
        ka: 'ექსპედირება და დასაწყობება ფოთსა და ბათუმში.',
      },
    },
  },
  {
    name: 'Ganja Hazelnut Growers LLC (demo)',
    kind: 'shipper',
    country: 'AZ',
    domain: 'ganja-hazelnut',
    profile: {
      services: [],
      countries: ['AZ'],
      nodes: ['AZ_BAKU'],
      languages: ['az', 'ru', 'en'],
      exportsHs: ['080222', '081090'],
      descriptions: {
        en: 'Growers and exporters of shelled hazelnuts and pomegranates from western Azerbaijan, looking for buyers in China.',
        az: 'Qərbi Azərbaycandan təmizlənmiş fındıq və nar ixracatçısı.',
      },
    },
    listings: [
      {
        kind: 'export',
        hsCode: '080222',
        description: 'Shelled hazelnuts',
        place: 'AZ_BAKU',
        tonnesPerMonth: 80,
        partnerCountries: ['CN', 'KZ'],
      },
      {
        kind: 'export',
        hsCode: '081090',
        description: 'Fresh pomegranates',
        place: 'AZ_BAKU',
        tonnesPerMonth: 40,
        partnerCountries: [],
      },
    ],
  },
  {
    name: 'Lankaran Fresh Produce LLC (demo)',
    kind: 'shipper',
    country: 'AZ',
    domain: 'lankaran-produce',
    profile: {
      services: [],
      countries: ['AZ'],
      nodes: ['AZ_BAKU'],
      languages: ['az', 'ru'],
      exportsHs: ['070200', '081070'],
      descriptions: {
        en: 'Greenhouse tomatoes and persimmons from Lankaran, reefer loads all year.',
        az: 'Lənkərandan istixana pomidoru və xurma.',
      },
    },
    listings: [
      {
        kind: 'export',
        hsCode: '081070',
        description: 'Fresh persimmons',
        place: 'AZ_BAKU',
        tonnesPerMonth: 60,
        partnerCountries: ['CN'],
      },
    ],
  },
  {
    name: "Xi'an Silk Road Foods Import Co. (demo)",
    kind: 'shipper',
    country: 'CN',
    domain: 'xian-foods',
    profile: {
      services: [],
      countries: ['CN'],
      nodes: ['CN_XIAN_ITL'],
      languages: ['zh', 'en'],
      importsHs: ['0802', '0810'],
      descriptions: {
        en: 'Importer of nuts and fresh fruit for north-west China through the Xi’an international port.',
        zh: '通过西安国际港务区进口坚果和新鲜水果，供应中国西北市场。',
      },
    },
    listings: [
      {
        kind: 'import',
        hsCode: '080222',
        description: 'Hazelnuts, shelled',
        place: 'CN_XIAN_ITL',
        tonnesPerMonth: 100,
        partnerCountries: ['AZ', 'GE', 'TR'],
      },
      {
        kind: 'import',
        hsCode: '081070',
        description: 'Persimmons',
        place: 'CN_XIAN_ITL',
        tonnesPerMonth: 50,
        partnerCountries: [],
      },
    ],
  },
];

/**
 * Creates the demo organisations and one admin per organisation (and an officer per customs
 * administration) when the database has no organisation yet. Passwords are generated; the
 * returned credentials are the only place they appear.
 */
/** How first start groups the demo accounts, in this order: by kind, customs officers apart. */
const SIGN_IN_GROUPS: { title: string; has: (c: DemoCredential) => boolean }[] = [
  { title: 'Shippers', has: (c) => c.kind === 'shipper' },
  { title: 'Forwarders', has: (c) => c.kind === 'forwarder' },
  { title: 'Carriers', has: (c) => c.kind === 'carrier' },
  { title: 'Customs officers', has: (c) => c.kind === 'customs' && c.role === 'officer' },
  { title: 'Council', has: (c) => c.kind === 'coordinator' },
  { title: 'FEZ providers', has: (c) => c.kind === 'service_provider' },
  { title: 'Terminals', has: (c) => c.kind === 'terminal' },
  { title: 'Customs administrators', has: (c) => c.kind === 'customs' && c.role !== 'officer' },
  { title: 'Platform operator', has: (c) => c.kind === 'platform' },
];

/**
 * What first start prints for the demo, line by line: the address to open, the accounts by
 * organisation kind (e-mail, password, organisation), and how to get a new password.
 */
export function demoSignInLines(url: string, credentials: readonly DemoCredential[]): string[] {
  const width = Math.max(...credentials.map((c) => c.email.length));
  const pass = Math.max(...credentials.map((c) => c.password.length));
  const lines = [
    `Open ${url} in a browser and sign in with one of these demo accounts.`,
    'Their passwords are shown this once and stored only as argon2id hashes.',
  ];
  for (const g of SIGN_IN_GROUPS) {
    const members = credentials.filter(g.has);
    if (members.length === 0) continue;
    lines.push('', g.title);
    for (const c of members)
      lines.push(`  ${c.email.padEnd(width)}  ${c.password.padEnd(pass)}  ${c.organisation}`);
  }
  lines.push(
    '',
    'A lost password: `corridor admin reset-password EMAIL` prints a new one (with the embedded',
    'database, stop the server first).',
  );
  return lines;
}

export async function seedDemo(
  deps: AccountDeps,
  directory?: DirectoryStore,
): Promise<{ created: boolean; credentials: DemoCredential[] }> {
  if ((await deps.stores.organisations.count()) > 0) return { created: false, credentials: [] };
  const credentials: DemoCredential[] = [];
  for (const d of DEMO) {
    const { domain, officers, profile, listings, ...input } = d;
    const org = await createOrganisation(deps, undefined, input);
    if (directory && profile) {
      await directory.upsertProfile({
        organisationId: org.id,
        exportsHs: [],
        importsHs: [],
        ...profile,
        descriptions: profile.descriptions,
        contact: { email: `contact@${domain}.example` },
        updatedAt: deps.clock.now(),
      });
      for (const l of listings ?? []) {
        const place = resolvePlace(deps.network, l.place);
        if (!place.ok) throw new Error(`demo listing: no place ${l.place}`);
        await directory.addListing({
          ...l,
          id: deps.secrets.id('lst'),
          organisationId: org.id,
          country: place.node.country,
          nodeId: place.node.id,
          createdAt: deps.clock.now(),
        });
      }
    }
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
      credentials.push({
        organisation: org.name,
        kind: org.kind,
        email,
        role: p.role,
        password: password!,
      });
    }
  }
  return { created: true, credentials };
}
