import type { ServiceKind, Language } from '../../core/directory/catalogue.ts';
import type { NewOrganisation } from '../manage-accounts.ts';

/** One demo organisation: who it is, its sign-in domain, its directory profile and listings. */
export interface DemoOrganisation extends NewOrganisation {
  domain: string;
  officers?: boolean;
  /**
   * Its directory profile and trade listings. Real institutions state only what
   * data/reference.md says of them, with its source numbers; made-up companies are marked "(demo)".
   */
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
export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
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
    // data/reference.md §3 and §7: [S37], [S154], [S186].
    profile: {
      services: ['freight_forwarding', 'consolidation'],
      countries: ['KZ', 'CN', 'AZ', 'GE', 'TR'],
      nodes: ['CN_XIAN_ITL', 'KZ_ALTYNKOL_KHORGOS_GATEWAY', 'KZ_DOSTYK', 'KZ_AKTAU_PORT'],
      languages: ['kk', 'ru', 'en', 'zh'],
      descriptions: {
        en: 'KTZ Express (Kazakhstan) organises container block trains across Kazakhstan, including from its Kazakhstan terminal in Xi’an, to Aktau and on to Azerbaijan, Georgia and Türkiye, 12–15 days in transit through Kazakhstan; publishes the Trans-Caspian route (TITR) tariff conditions.',
        ru: 'KTZ Express (Казахстан): контейнерные поезда через Казахстан, в том числе из терминала в Сиане, до Актау и далее в Азербайджан, Грузию и Турцию.',
        kk: 'KTZ Express (Қазақстан): Қытайдан Ақтауға және одан әрі контейнерлік пойыздар.',
      },
    },
    services: [
      'SVC_XIAN_BAKU_BLOCK',
      'SVC_BAKU_XIAN_BLOCK',
      'SVC_CHINA_GEORGIA_PORTS_BLOCK',
      'SVC_ALTYNKOL_POTI_SHUTTLE',
      'SVC_LIANYUNGANG_ALTYNKOL',
      'SVC_SOUTHERN_CN_KZ_TM_IR',
      'SVC_CHINA_TURKEY_BTK',
      'SVC_KTZE_ALTYNKOL_KURYK',
      'SVC_KTZE_ALTYNKOL_TURKMENBASHI',
    ],
  },
  {
    name: 'ASCO (Azerbaijan Caspian Shipping)',
    kind: 'carrier',
    country: 'AZ',
    domain: 'asco',
    // data/reference.md §2.2 and §3: [S28], [S33], [S177].
    profile: {
      services: ['freight_forwarding'],
      countries: ['AZ', 'KZ', 'TM'],
      nodes: ['AZ_BAKU_PORT_ALAT', 'KZ_AKTAU_PORT', 'KZ_KURYK_PORT', 'TM_TURKMENBASHI_PORT'],
      languages: ['az', 'ru', 'en'],
      descriptions: {
        en: 'ASCO — Azerbaijan Caspian Shipping Company: rail ferry and Ro-Ro lines across the Caspian Sea from Baku port at Alat to Aktau, Kuryk and Turkmenbashi, and container feeders Aktau–Alat. Describes itself as the only ferry operator in the Caspian that carries railway wagons by sea; six ferries and one Ro-Ro served each of the Aktau and Turkmenbashi lines in 2021–22.',
        az: 'ASCO — Azərbaycan Xəzər Dəniz Gəmiçiliyi: Ələtdəki Bakı limanından Aktau, Kurık və Türkmənbaşıya bərə və Ro-Ro xətləri.',
        ru: 'ASCO — Азербайджанское Каспийское морское пароходство: железнодорожные паромы и Ro-Ro из порта Баку в Алате в Актау, Курык и Туркменбаши, фидеры Актау–Алят.',
      },
    },
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
    services: ['SVC_ADY_EXPRESS_ALAT_POTI', 'SVC_ADY_EXPRESS_POTI_ALAT', 'SVC_ADY_BTK_BAKU_KARS'],
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
      'SVC_ADY_BTK_BAKU_KARS',
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
    services: [
      'SVC_QINGDAO_PORT_SCODA_SHUTTLE',
      'SVC_QILU_SCODA_CENTRAL_ASIA',
      'SVC_XIAN_QINGDAO_SEA_RAIL',
    ],
  },
  {
    name: 'UTLC ERA (Eurasian Rail Alliance)',
    kind: 'carrier',
    country: 'RU',
    domain: 'utlc-era',
    services: ['SVC_NORTHERN_XIAN_DUISBURG'],
  },
  // The sources name no single company for these: made-up lines and hauliers stand for them.
  // The Aktau–Baku feeder line as data/reference.md §3 and figures-2025.md name it ([S31], [S33], F20).
  {
    name: 'Kazmortransflot (Caspian container feeders)',
    kind: 'carrier',
    country: 'KZ',
    domain: 'kazmortransflot',
    services: ['SVC_FEEDER_AKTAU_ALAT', 'SVC_FEEDER_ALAT_AKTAU'],
    profile: {
      services: ['freight_forwarding'],
      countries: ['KZ', 'AZ'],
      nodes: ['KZ_AKTAU_PORT', 'AZ_BAKU_PORT_ALAT'],
      languages: ['kk', 'ru', 'en'],
      descriptions: {
        en: 'Kazmortransflot (Kazakhstan): the regular Aktau–Baku (Alat) container feeder line across the Caspian Sea, opened in April 2019 with the 225-TEU “Turkestan”; 59.4 thousand TEU on Aktau–Baku–Aktau in 2025.',
        ru: 'Казмортрансфлот: регулярная фидерная контейнерная линия Актау–Баку (Алят) через Каспий с апреля 2019 года.',
      },
    },
  },
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
    services: ['SVC_POTI_CONSTANTA_FEEDER', 'SVC_POTI_BURGAS_FEEDER'],
  },
  {
    name: 'Rhine–Danube Intermodal (demo)',
    kind: 'carrier',
    country: 'DE',
    domain: 'rhine-danube-intermodal',
    services: [
      'SVC_CONSTANTA_DUISBURG_RAIL',
      'SVC_ISTANBUL_DUISBURG_RAIL',
      'SVC_ROTTERDAM_DUISBURG_RAIL',
      'SVC_DUISBURG_ROTTERDAM_RAIL',
    ],
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
    // data/reference.md §1, §2.2, §4 and §7: [S160], [S19], [S17], [S18].
    profile: {
      services: ['warehousing', 'consolidation'],
      countries: ['AZ'],
      nodes: ['AZ_BAKU_PORT_ALAT'],
      languages: ['az', 'ru', 'en'],
      descriptions: {
        en: 'Baku International Sea Trade Port at Alat, about 70 km south of Baku: the Caspian ferry, Ro-Ro and container feeder terminal of the Middle Corridor, next to the Alat Free Economic Zone. Loading or unloading one vessel is capped at 30 hours by the TITR protocol (20.1 hours on average in 2024); container capacity 150,000 TEU since the port merged into ADY. Its Unified Transit Center houses agencies and forwarders in one office.',
        az: 'Ələtdə Bakı Beynəlxalq Dəniz Ticarət Limanı: Orta Dəhlizin Xəzər bərə, Ro-Ro və konteyner terminalı.',
        ru: 'Бакинский международный морской торговый порт в Алате: паромный, Ro-Ro и контейнерный терминал Среднего коридора.',
      },
    },
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
  // Türkiye's transit is NCTS (data/reference.md §6, BK). Trains from Georgia enter at the
  // Kars Logistics Centre, which has customs on site ([S120]), and end at Istanbul (Halkalı,
  // TRIST). Kars has no UN/LOCODE in the sources: the three letters after TR are the platform's.
  {
    name: 'Customs of Türkiye (Ministry of Trade)',
    kind: 'customs',
    country: 'TR',
    domain: 'customs-tr',
    officers: true,
    customsOffices: [
      { code: 'TRKRS001', name: 'Kars customs', nodeId: 'TR_KARS' },
      { code: 'TRIST001', name: 'Halkalı customs, Istanbul', nodeId: 'TR_ISTANBUL' },
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
  // The SCODA one-stop service platform as data/reference.md §7 and §8.1 describe it ([S66], [S67]).
  {
    name: 'SCODA Service Centre (one-stop service platform)',
    kind: 'service_provider',
    country: 'CN',
    domain: 'scoda-service-centre',
    profile: {
      services: ['customs_brokerage', 'trade_finance', 'freight_forwarding', 'translation'],
      countries: ['CN'],
      nodes: ['CN_SCODA', 'CN_SCODA_MTC', 'CN_QINGDAO_PORT'],
      languages: ['zh', 'en', 'ru'],
      descriptions: {
        en: 'The SCODA service centre in Jiaozhou, Qingdao: a one-stop service platform for trade with SCO countries covering trade, customs clearance, logistics and finance (about 5,000 enterprises registered in 2023), with a financial service centre since 2020.',
        zh: '上合示范区一站式综合服务平台：贸易、通关、物流和金融服务。',
        ru: 'Сервисный центр ШОС в Цзяочжоу: единое окно для торговли, таможенного оформления, логистики и финансов.',
      },
    },
  },
  // The Alat FEZ itself is sourced (data/reference.md §8.2: next to the Baku port, 850 ha [S75]);
  // the sources name no warehouse company there: made-up ones stand for them.
  {
    name: 'Alat Bonded Warehouse LLC (demo)',
    kind: 'service_provider',
    country: 'AZ',
    domain: 'alat-bonded-warehouse',
    profile: {
      services: ['warehousing', 'customs_brokerage', 'consolidation'],
      countries: ['AZ'],
      nodes: ['AZ_ALAT_FEZ', 'AZ_BAKU_PORT_ALAT'],
      languages: ['az', 'ru', 'en', 'tr'],
      descriptions: {
        en: 'Bonded warehouse in the Alat Free Economic Zone next to the Baku port: transit goods stored under customs control without duties, cross-docking from the Caspian ferries and feeders to rail and road, consolidation for Georgia and Türkiye.',
        az: 'Ələt Azad İqtisadi Zonasında gömrük anbarı: tranzit yüklərin gömrük nəzarəti altında saxlanması.',
        ru: 'Таможенный склад в СЭЗ Алят у Бакинского порта: хранение транзитных грузов под таможенным контролем.',
      },
    },
  },
  {
    name: 'Alat Cold Chain Terminal (demo)',
    kind: 'service_provider',
    country: 'AZ',
    domain: 'alat-cold-chain',
    profile: {
      services: ['warehousing', 'certification_inspection'],
      countries: ['AZ'],
      nodes: ['AZ_ALAT_FEZ'],
      languages: ['az', 'ru', 'en'],
      descriptions: {
        en: 'Cold storage in the Alat Free Economic Zone: chilled and frozen rooms for fruit, vegetables and nuts, reefer container plugs, phytosanitary inspection on site before loading for China and Kazakhstan.',
        az: 'Ələt Azad İqtisadi Zonasında soyuducu anbar: meyvə, tərəvəz və fındıq üçün.',
        ru: 'Холодильный склад в СЭЗ Алят: охлаждённые и морозильные камеры для фруктов, овощей и орехов.',
      },
    },
  },
];
