import type {
  BookingDocument,
  CarrierSection,
  ContainerLine,
  DocumentContent,
  GoodsLine,
  Party,
  Place,
  TransitDocument,
  TransportNote,
} from './consignment.ts';
import type { Block, DocumentLayout, Field, Label } from './layout.ts';

/**
 * Each document kind as a layout: the particulars of its form (standards.md §3: CIM/SMGS
 * consignment note, CMR Art. 6, the NCTS/eTIR transit accompanying document) with English and
 * Russian labels, and the data as entered. Pure and deterministic: the same content gives the
 * same layout.
 */

const L = (en: string, ru: string): Label => ({ en, ru });
const field = (en: string, ru: string, value: string): Field => ({ label: L(en, ru), value });

const NONE = '—';
const orNone = (s: string | null | undefined) =>
  s === null || s === undefined || s === '' ? NONE : s;

/** An instant as printed: `2026-12-04 12:00 UTC`. */
export function printedTime(ms: number | null): string {
  if (ms === null) return NONE;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An instant in a table whose header says UTC: `2026-12-04 12:00`. */
const cellTime = (ms: number | null) => (ms === null ? NONE : printedTime(ms).slice(0, 16));

const kg = (n: number) => `${Math.round(n * 100) / 100}`;

function partyText(p: Party): string {
  return [
    p.name,
    p.address,
    p.country,
    p.identificationNumber ? `ID ${p.identificationNumber}` : null,
  ]
    .filter((x) => x !== null && x !== '')
    .join('\n');
}

function placeText(p: Place): string {
  return `${p.name}${p.code ? ` (${p.code})` : ''}, ${p.country}`;
}

function carriersTable(title: Label, carriers: readonly CarrierSection[]): Block {
  return {
    type: 'table',
    title,
    columns: [
      { label: L('Carrier', 'Перевозчик'), weight: 3 },
      { label: L('From', 'От'), weight: 3 },
      { label: L('To', 'До'), weight: 3 },
      { label: L('Departure (UTC)', 'Отправление (UTC)'), weight: 2 },
      { label: L('Arrival (UTC)', 'Прибытие (UTC)'), weight: 2 },
    ],
    rows: carriers.map((c) => [
      c.carrier,
      placeText(c.from),
      placeText(c.to),
      cellTime(c.departure),
      cellTime(c.arrival),
    ]),
    empty: NONE,
  };
}

function goodsTable(goods: readonly GoodsLine[], codeLabel: Label): Block {
  return {
    type: 'table',
    title: L('Goods', 'Груз'),
    columns: [
      { label: codeLabel, weight: 2 },
      { label: L('Description of goods', 'Наименование груза'), weight: 6 },
      { label: L('Marks and numbers', 'Знаки и номера'), weight: 2 },
      { label: L('Packages', 'Число мест'), weight: 2, align: 'right' },
      { label: L('Gross mass, kg', 'Масса брутто, кг'), weight: 2, align: 'right' },
    ],
    rows: goods.map((g) => [
      g.hsCode,
      g.description,
      orNone(g.marks),
      `${g.packages.count} ${g.packages.kind}`,
      kg(g.grossMassKg),
    ]),
    empty: NONE,
  };
}

function containersTable(containers: readonly ContainerLine[], withWagons: boolean): Block {
  return {
    type: 'table',
    title: withWagons
      ? L('List of wagons and containers', 'Ведомость вагонов и контейнеров')
      : L('Containers', 'Контейнеры'),
    columns: [
      { label: L('Container', 'Контейнер'), weight: 3 },
      { label: L('Size and type', 'Типоразмер'), weight: 2 },
      ...(withWagons ? [{ label: L('Wagon', 'Вагон'), weight: 3 }] : []),
      { label: L('Seals', 'Пломбы'), weight: 5 },
    ],
    rows: containers.map((c) => [
      c.equipmentReference,
      orNone(c.isoEquipmentCode),
      ...(withWagons ? [orNone(c.wagon)] : []),
      c.seals.length > 0 ? c.seals.join(', ') : NONE,
    ]),
    empty: NONE,
  };
}

function documentsTable(docs: readonly { type: string; reference: string }[]): Block {
  return {
    type: 'table',
    title: L('Documents attached', 'Прилагаемые документы'),
    columns: [
      { label: L('Document', 'Документ'), weight: 3 },
      { label: L('Reference', 'Номер'), weight: 3 },
    ],
    rows: docs.map((d) => [d.type, d.reference]),
    empty: NONE,
  };
}

/**
 * The Chinese of the SMGS blanks' labels, by their Russian (the SMGS working languages are
 * Chinese and Russian): 国际货协 is the SMGS, 国际货约 the CIM.
 */
const SMGS_CHINESE: Record<string, string> = {
  'Накладная ЦИМ/СМГС': '国际货约/国际货协运单',
  'Накладная СМГС': '国际货协运单',
  Отправитель: '发货人',
  Получатель: '收货人',
  'Наименование, адрес': '名称，地址',
  'Станция отправления': '发站',
  Станция: '车站',
  'Код (UN/LOCODE)': '代码（UN/LOCODE）',
  Страна: '国家',
  'Дата приёма': '承运日期',
  'Станция назначения': '到站',
  'Номер отправителя': '发货人编号',
  'Пограничные станции переходов': '国境口岸站',
  Выход: '出境',
  Вход: '进境',
  'Перевозчики по участкам': '各区段承运人',
  Перевозчик: '承运人',
  От: '自',
  До: '至',
  'Отправление (UTC)': '发车（UTC）',
  'Прибытие (UTC)': '到达（UTC）',
  Груз: '货物',
  'Код ГНГ/ТН ВЭД': '统一货物品名编码/HS编码',
  'Наименование груза': '货物名称',
  'Знаки и номера': '标记和号码',
  'Число мест': '件数',
  'Масса брутто, кг': '毛重（公斤）',
  Итого: '合计',
  'Мест / масса брутто': '件数／毛重',
  Контейнеров: '集装箱数',
  'Опасный груз': '危险货物',
  'Заявления отправителя': '发货人声明',
  'Ведомость вагонов и контейнеров': '车辆和集装箱清单',
  Контейнер: '集装箱',
  Типоразмер: '箱型',
  Вагон: '车辆',
  Пломбы: '封印',
  Вагоны: '车辆',
  Контейнеры: '集装箱',
  'Уплата провозных платежей': '运送费用的支付',
  Плательщик: '付款人',
  'Код плательщика': '付款人代码',
  'Прилагаемые документы': '添附文件',
  Документ: '文件',
  Номер: '号码',
  Составлена: '填制',
  'Место составления': '填制地点',
  Отправка: '发送',
};

/** The layout with the Chinese of every label beside its English and Russian. Pure. */
function withChinese(layout: DocumentLayout): DocumentLayout {
  const zh = (l: Label): Label => {
    const chinese = SMGS_CHINESE[l.ru];
    return chinese ? { ...l, zh: chinese } : l;
  };
  return {
    ...layout,
    title: zh(layout.title),
    codes: layout.codes.map((c) => ({ ...c, label: zh(c.label) })),
    blocks: layout.blocks.map((b): Block => {
      switch (b.type) {
        case 'page_break':
          return b;
        case 'table':
          return {
            ...b,
            title: zh(b.title),
            columns: b.columns.map((c) => ({ ...c, label: zh(c.label) })),
          };
        case 'text':
          return { ...b, title: zh(b.title) };
        case 'fields':
          return {
            ...b,
            title: zh(b.title),
            fields: b.fields.map((f) => ({ ...f, label: zh(f.label) })),
          };
      }
    }),
  };
}

function totals(goods: readonly GoodsLine[]): string {
  const packages = goods.reduce((n, g) => n + g.packages.count, 0);
  const mass = goods.reduce((n, g) => n + g.grossMassKg, 0);
  return `${packages} / ${kg(mass)} kg`;
}

function railNote(n: TransportNote): DocumentLayout {
  const title =
    n.variant === 'CIM/SMGS'
      ? L('CIM/SMGS consignment note', 'Накладная ЦИМ/СМГС')
      : n.variant === 'CIM'
        ? L('CIM consignment note', 'Накладная ЦИМ')
        : L('SMGS consignment note', 'Накладная СМГС');
  const blocks: Block[] = [
    {
      type: 'fields',
      title: L('Consignor', 'Отправитель'),
      width: 'half',
      fields: [field('Name, address', 'Наименование, адрес', partyText(n.consignor))],
    },
    {
      type: 'fields',
      title: L('Consignee', 'Получатель'),
      width: 'half',
      fields: [field('Name, address', 'Наименование, адрес', partyText(n.consignee))],
    },
    {
      type: 'fields',
      title: L('Station of departure', 'Станция отправления'),
      width: 'half',
      fields: [
        field('Station', 'Станция', n.departure.name),
        field('Code (UN/LOCODE)', 'Код (UN/LOCODE)', orNone(n.departure.code)),
        field('Country', 'Страна', n.departure.country),
        field('Taking over', 'Дата приёма', printedTime(n.takenOverAt)),
      ],
    },
    {
      type: 'fields',
      title: L('Station of destination', 'Станция назначения'),
      width: 'half',
      fields: [
        field('Station', 'Станция', n.destination.name),
        field('Code (UN/LOCODE)', 'Код (UN/LOCODE)', orNone(n.destination.code)),
        field('Country', 'Страна', n.destination.country),
        field('Consignor reference', 'Номер отправителя', orNone(n.reference)),
      ],
    },
    {
      type: 'table',
      title: L('Border crossing stations', 'Пограничные станции переходов'),
      columns: [
        { label: L('Exit', 'Выход'), weight: 1 },
        { label: L('Entry', 'Вход'), weight: 1 },
      ],
      rows: n.borderCrossings.map((b) => [placeText(b.from), placeText(b.to)]),
      empty: NONE,
    },
    carriersTable(L('Carriers by section', 'Перевозчики по участкам'), n.carriers),
    goodsTable(n.goods, L('NHM/HS code', 'Код ГНГ/ТН ВЭД')),
    {
      type: 'fields',
      title: L('Totals', 'Итого'),
      width: 'half',
      fields: [
        field('Packages / gross mass', 'Мест / масса брутто', totals(n.goods)),
        field('Containers', 'Контейнеров', String(n.containers.length)),
        field('Dangerous goods', 'Опасный груз', n.hazardous ? 'yes / да' : 'no / нет'),
      ],
    },
    {
      type: 'text',
      title: L("Consignor's declarations", 'Заявления отправителя'),
      width: 'half',
      paragraphs: n.consignorDeclarations.length > 0 ? n.consignorDeclarations : [NONE],
    },
    { type: 'page_break' },
    containersTable(n.containers, true),
    {
      type: 'table',
      title: L('Wagons', 'Вагоны'),
      columns: [
        { label: L('Wagon', 'Вагон'), weight: 1 },
        { label: L('Containers', 'Контейнеры'), weight: 3 },
      ],
      rows: n.wagons.map((w) => [w.number, w.containers.join(', ')]),
      empty: NONE,
    },
    {
      type: 'table',
      title: L('Payment of charges', 'Уплата провозных платежей'),
      columns: [
        { label: L('Carrier', 'Перевозчик'), weight: 2 },
        { label: L('Payer', 'Плательщик'), weight: 2 },
        { label: L('Payer code', 'Код плательщика'), weight: 1 },
      ],
      rows: n.charges.map((c) => [c.carrier, c.payer, orNone(c.payerCode)]),
      empty: NONE,
    },
    documentsTable(n.attachedDocuments),
    {
      type: 'fields',
      title: L('Issue', 'Составлена'),
      width: 'full',
      fields: [
        field('Place of issue', 'Место составления', n.placeOfIssue),
        field('Shipment', 'Отправка', n.shipmentId),
      ],
    },
  ];
  const layout: DocumentLayout = {
    title,
    subtitle: `${placeText(n.departure)} → ${placeText(n.destination)}`,
    number: '',
    issuedAt: 0,
    codes: [],
    blocks,
  };
  return n.variant === 'CIM' ? layout : withChinese(layout);
}

const CMR_STATEMENT =
  'This carriage is subject, notwithstanding any clause to the contrary, to the Convention on the Contract for the International Carriage of Goods by Road (CMR). / Настоящая перевозка осуществляется, несмотря на любую оговорку, в соответствии с Конвенцией о договоре международной дорожной перевозки грузов (КДПГ).';

function cmrNote(n: TransportNote): DocumentLayout {
  const [first, ...successive] = n.carriers;
  return {
    title: L('CMR consignment note', 'Международная товарно-транспортная накладная CMR'),
    subtitle: `${placeText(n.departure)} → ${placeText(n.destination)}`,
    number: '',
    issuedAt: 0,
    codes: [],
    blocks: [
      {
        type: 'fields',
        title: L('Sender', 'Отправитель'),
        width: 'half',
        fields: [field('Name, address', 'Наименование, адрес', partyText(n.consignor))],
      },
      {
        type: 'fields',
        title: L('Consignee', 'Получатель'),
        width: 'half',
        fields: [field('Name, address', 'Наименование, адрес', partyText(n.consignee))],
      },
      {
        type: 'fields',
        title: L('Taking over the goods', 'Погрузка груза'),
        width: 'half',
        fields: [
          field('Place', 'Место', placeText(n.departure)),
          field('Date', 'Дата', printedTime(n.takenOverAt)),
        ],
      },
      {
        type: 'fields',
        title: L('Place of delivery', 'Место разгрузки груза'),
        width: 'half',
        fields: [field('Place', 'Место', placeText(n.destination))],
      },
      {
        type: 'fields',
        title: L('Carrier', 'Перевозчик'),
        width: 'half',
        fields: [field('Name', 'Наименование', first ? first.carrier : NONE)],
      },
      {
        type: 'fields',
        title: L('Successive carriers', 'Последующие перевозчики'),
        width: 'half',
        fields: [
          field(
            'Names',
            'Наименования',
            successive.length > 0 ? successive.map((c) => c.carrier).join('\n') : NONE,
          ),
        ],
      },
      goodsTable(n.goods, L('Statistical number (HS)', 'Статистический номер (ТН ВЭД)')),
      {
        type: 'fields',
        title: L('Totals', 'Итого'),
        width: 'half',
        fields: [
          field('Packages / gross weight', 'Мест / вес брутто', totals(n.goods)),
          field(
            'Dangerous goods',
            'Опасный груз',
            n.hazardous ? 'yes (ADR) / да (ДОПОГ)' : 'no / нет',
          ),
        ],
      },
      {
        type: 'text',
        title: L("Sender's instructions (customs and other)", 'Указания отправителя'),
        width: 'half',
        paragraphs: [orNone(n.instructions)],
      },
      containersTable(n.containers, false),
      documentsTable(n.attachedDocuments),
      carriersTable(L('Carriage', 'Перевозка'), n.carriers),
      {
        type: 'table',
        title: L('Charges', 'Провозная плата'),
        columns: [
          { label: L('Carrier', 'Перевозчик'), weight: 2 },
          { label: L('To be paid by', 'Плательщик'), weight: 2 },
        ],
        rows: n.charges.map((c) => [c.carrier, c.payer]),
        empty: NONE,
      },
      {
        type: 'fields',
        title: L('Established', 'Составлена'),
        width: 'full',
        fields: [field('Place', 'Место', n.placeOfIssue)],
      },
      {
        type: 'text',
        title: L('Convention', 'Конвенция'),
        width: 'full',
        paragraphs: [CMR_STATEMENT],
      },
    ],
  };
}

function transit(d: TransitDocument): DocumentLayout {
  const goods = d.consignments.flatMap((c) => c.goods);
  return {
    title: L('Transit accompanying document', 'Транзитный сопроводительный документ'),
    subtitle: `MRN ${d.mrn}`,
    number: '',
    issuedAt: 0,
    codes: [{ label: L('MRN', 'MRN'), value: d.mrn }],
    blocks: [
      {
        type: 'fields',
        title: L('Declaration', 'Декларация'),
        width: 'half',
        fields: [
          field('MRN', 'MRN', d.mrn),
          field('LRN', 'LRN', d.lrn),
          field('Version', 'Версия', String(d.declarationVersion)),
          field('Accepted', 'Принята', printedTime(d.acceptedAt)),
        ],
      },
      {
        type: 'fields',
        title: L('Holder of the transit procedure', 'Принципал'),
        width: 'half',
        fields: [field('Name', 'Наименование', partyText(d.holder))],
      },
      {
        type: 'fields',
        title: L('Guarantee', 'Обеспечение'),
        width: 'half',
        fields: [
          field('Reference', 'Номер', d.guarantee.reference),
          field('Amount', 'Сумма', `${d.guarantee.amount} ${d.guarantee.currency}`),
        ],
      },
      {
        type: 'fields',
        title: L('Totals', 'Итого'),
        width: 'half',
        fields: [
          field('Goods items', 'Товарных позиций', String(goods.length)),
          field('Packages / gross mass', 'Мест / масса брутто', totals(goods)),
        ],
      },
      {
        type: 'table',
        title: L('Itinerary and offices', 'Маршрут и таможни'),
        columns: [
          { label: L('Country', 'Страна'), weight: 1 },
          { label: L('Regime', 'Режим'), weight: 2 },
          { label: L('Office', 'Таможня'), weight: 2 },
          { label: L('Exit office', 'Таможня выхода'), weight: 2 },
          { label: L('State', 'Статус'), weight: 2 },
        ],
        rows: d.itinerary.map((s) => [
          s.country,
          s.regime,
          s.office,
          orNone(s.exitOffice),
          `${s.state}${s.lane ? ` (${s.lane})` : ''}`,
        ]),
        empty: NONE,
      },
      ...d.consignments.flatMap((c, i): Block[] => [
        {
          type: 'fields',
          title: L(`Consignor ${i + 1}`, `Отправитель ${i + 1}`),
          width: 'half',
          fields: [field('Name', 'Наименование', partyText(c.consignor))],
        },
        {
          type: 'fields',
          title: L(`Consignee ${i + 1}`, `Получатель ${i + 1}`),
          width: 'half',
          fields: [field('Name', 'Наименование', partyText(c.consignee))],
        },
        {
          type: 'table',
          title: L(`Goods items of consignment ${i + 1}`, `Товары отправки ${i + 1}`),
          columns: [
            { label: L('HS code', 'Код ТН ВЭД'), weight: 2 },
            { label: L('Description', 'Описание'), weight: 5 },
            { label: L('Packages', 'Места'), weight: 2, align: 'right' },
            { label: L('Gross, kg', 'Брутто, кг'), weight: 2, align: 'right' },
            { label: L('Value', 'Стоимость'), weight: 2, align: 'right' },
            { label: L('Origin', 'Происх.'), weight: 1 },
          ],
          rows: c.goods.map((g) => [
            g.hsCode,
            g.description,
            `${g.packages.count} ${g.packages.kind}`,
            kg(g.grossMassKg),
            `${g.value} ${g.currency}`,
            g.countryOfOrigin,
          ]),
          empty: NONE,
        },
      ]),
      containersTable(d.containers, false),
      documentsTable(d.documents),
    ],
  };
}

function booking(b: BookingDocument): DocumentLayout {
  const money = b.costUsd === null ? NONE : `${b.costUsd.toFixed(2)} USD`;
  return {
    title: L('Booking confirmation', 'Подтверждение бронирования'),
    subtitle: `${b.bookingId}${b.reference ? ` · ${b.reference}` : ''}`,
    number: '',
    issuedAt: 0,
    codes: [],
    blocks: [
      {
        type: 'fields',
        title: L('Booking', 'Бронирование'),
        width: 'half',
        fields: [
          field('Booking', 'Бронирование', b.bookingId),
          field('State', 'Статус', b.state),
          field('Booked', 'Забронировано', printedTime(b.bookedAt)),
          field('Shipment', 'Отправка', b.shipmentId),
        ],
      },
      {
        type: 'fields',
        title: L('Promise', 'Обязательство'),
        width: 'half',
        fields: [
          field('Arrival P50', 'Прибытие P50', printedTime(b.arrivalP50)),
          field('Arrival P90', 'Прибытие P90', printedTime(b.arrivalP90)),
          field('Price', 'Стоимость', money),
          field(
            'CO2e (well-to-wheel)',
            'CO2e (полный цикл)',
            b.co2eKg === null ? NONE : `${kg(b.co2eKg)} kg`,
          ),
        ],
      },
      {
        type: 'table',
        title: L('Containers', 'Контейнеры'),
        columns: [
          { label: L('Size and type', 'Типоразмер'), weight: 1 },
          { label: L('Count', 'Количество'), weight: 1, align: 'right' },
          {
            label: L('Gross mass each, kg', 'Масса брутто каждого, кг'),
            weight: 2,
            align: 'right',
          },
        ],
        rows: b.containers.map((c) => [c.type, String(c.count), kg(c.grossKg)]),
        empty: NONE,
      },
      carriersTable(L('Itinerary', 'Маршрут'), b.rides),
      {
        type: 'fields',
        title: L('Cargo', 'Груз'),
        width: 'full',
        fields: [
          field('TEU', 'ДФЭ', String(b.teu)),
          field('Dangerous goods', 'Опасный груз', b.hazardous ? 'yes / да' : 'no / нет'),
        ],
      },
    ],
  };
}

/** The layout of a document: its form filled with its content, numbered and dated. Pure. */
export function layoutOf(
  content: DocumentContent,
  issue: { number: string; issuedAt: number },
): DocumentLayout {
  const base =
    content.kind === 'transit_accompanying_document'
      ? transit(content)
      : content.kind === 'booking_confirmation'
        ? booking(content)
        : content.kind === 'cmr'
          ? cmrNote(content)
          : railNote(content);
  return { ...base, number: issue.number, issuedAt: issue.issuedAt };
}

/** Printed-number prefix per kind. */
export const NUMBER_PREFIX: Record<DocumentContent['kind'], string> = {
  rail_consignment_note: 'RCN',
  cmr: 'CMR',
  transit_accompanying_document: 'TAD',
  booking_confirmation: 'BKC',
};
