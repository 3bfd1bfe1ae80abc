/**
 * A stand-in of the eTIR international system, built from the eTIR specifications v4.3 (the
 * message pairs and code list 99), written apart from the platform's own eTIR code so that it
 * checks it: it takes the holder's advance data (E9, E11) and answers E10 / E12; a message id it
 * has seen is answered as the first time and not processed again (a changed message under an id
 * seen is error 299); a message without a required field is error 101 with its pointer. It then
 * plays the customs along the itinerary: record declaration (I7), notify the next customs (I15),
 * start (I9), terminate (I11) and discharge (I13), as the messages it relays to the platform.
 */

const NS = 'urn:corridor:etir:4.3';

export interface StandInAnswer {
  type: string;
  xml: string;
  errors: { code: string; pointer: string }[];
}

/** The advance data the stand-in requires, as element paths under the message. */
const REQUIRED_E9 = [
  'MessageID',
  'Sender',
  'Recipient',
  'PreparationDateTime',
  'Declaration/FunctionalReferenceID',
  'Declaration/Guarantee/ReferenceID',
  'Declaration/Holder/ID',
  'Declaration/Holder/Name',
  'Declaration/Itinerary/RoutingCountry/CountryCode',
  'Declaration/CustomsOffice/ID',
  'Declaration/Consignment/ConsignmentItem/Commodity/Classification/ID',
];

export class EtirInternationalSystem {
  /** Advance data received, by guarantee reference: the itinerary's countries and offices. */
  readonly transports = new Map<
    string,
    { lrn: string; countries: string[]; offices: string[]; amendments: number }
  >();
  /** Answers by the message id they answered (the duplicate rule). */
  private readonly answered = new Map<string, { body: string; answer: StandInAnswer }>();
  private sequence = 0;

  constructor(readonly id = 'ETIR.IS') {}

  /** Receives an E9 or E11 from the holder's system, answers E10 or E12. */
  receive(xml: string): StandInAnswer {
    const type = first(xml, 'MessageType') ?? '?';
    const messageId = first(xml, 'MessageID') ?? '';
    const seen = this.answered.get(messageId);
    if (seen)
      return seen.body === xml
        ? seen.answer
        : this.answer(type, messageId, [{ code: '299', pointer: `${type}/MessageID` }]);
    const errors = REQUIRED_E9.filter((path) => !has(xml, path)).map((path) => ({
      code: '101',
      pointer: `${type}/${path}`,
    }));
    if (type !== 'E9' && type !== 'E11')
      errors.push({ code: '102', pointer: `${type}/MessageType` });
    const guarantee = first(xml, 'ReferenceID') ?? '';
    if (errors.length === 0) {
      const known = this.transports.get(guarantee);
      if (type === 'E11' && !known)
        errors.push({ code: '301', pointer: `${type}/Declaration/Guarantee/ReferenceID` });
      else
        this.transports.set(guarantee, {
          lrn: first(xml, 'FunctionalReferenceID')!,
          countries: all(xml, 'CountryCode', 'RoutingCountry'),
          offices: all(xml, 'ID', 'CustomsOffice'),
          amendments: (known?.amendments ?? -1) + 1,
        });
    }
    const answer = this.answer(type === 'E11' ? 'E12' : 'E10', messageId, errors);
    this.answered.set(messageId, { body: xml, answer });
    return answer;
  }

  /** An operation of a customs office on the TIR transport, as the stand-in relays it. */
  operation(
    type: 'I7' | 'I9' | 'I11' | 'I13' | 'I15',
    guarantee: string,
    office: string,
    extra: { declarationReference?: string; sequence?: number; seals?: string[] } = {},
  ): string {
    const id = `IS-${type}-${++this.sequence}`;
    return `<?xml version="1.0" encoding="UTF-8"?>
<etir:${type} xmlns:etir="${NS}">
  <MessageID>${id}</MessageID><MessageType>${type}</MessageType>
  <Sender>${this.id}</Sender><Recipient>CORRIDOR</Recipient>
  <PreparationDateTime>2026-12-04T10:00:00Z</PreparationDateTime>
  <Declaration>
    ${extra.declarationReference ? `<ID>${extra.declarationReference}</ID>` : ''}
    <Guarantee><ReferenceID>${guarantee}</ReferenceID></Guarantee>
    <CustomsOffice><ID>${office}</ID></CustomsOffice>
    ${extra.sequence ? `<Operation><SequenceNumeric>${extra.sequence}</SequenceNumeric></Operation>` : ''}
    ${(extra.seals ?? []).length > 0 ? `<TransportEquipment>${extra.seals!.map((s) => `<Seal><ID>${s}</ID></Seal>`).join('')}</TransportEquipment>` : ''}
  </Declaration>
</etir:${type}>`;
  }

  private answer(
    type: string,
    correlation: string,
    errors: StandInAnswer['errors'],
  ): StandInAnswer {
    const id = `IS-${type}-${++this.sequence}`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<etir:${type} xmlns:etir="${NS}">
  <MessageID>${id}</MessageID><MessageType>${type}</MessageType>
  <Sender>${this.id}</Sender><Recipient>CORRIDOR</Recipient>
  <PreparationDateTime>2026-12-04T09:00:00Z</PreparationDateTime>
  <CorrelationID>${correlation}</CorrelationID>
  <Response>
    <StatusCode>${errors.length === 0 ? 'accepted' : 'rejected'}</StatusCode>
    ${errors.map((e) => `<Error><ValidationCode>${e.code}</ValidationCode><Pointer>${e.pointer}</Pointer></Error>`).join('')}
  </Response>
</etir:${type}>`;
    return { type, xml, errors };
  }
}

/** The codes and pointers of a response message's errors. */
export function responseErrors(xml: string): { code: string; pointer: string }[] {
  return [
    ...xml.matchAll(
      /<Error>\s*<ValidationCode>(\d+)<\/ValidationCode>[\s\S]*?<Pointer>([^<]*)<\/Pointer>/g,
    ),
  ].map((m) => ({ code: m[1]!, pointer: m[2]! }));
}

function first(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}(?: [^>]*)?>([^<]*)</${tag}>`).exec(xml)?.[1];
}

/** Every text of `tag` inside the `parent` elements, in order. */
function all(xml: string, tag: string, parent: string): string[] {
  return [...xml.matchAll(new RegExp(`<${parent}>([\\s\\S]*?)</${parent}>`, 'g'))].flatMap((m) => {
    const v = first(m[1]!, tag);
    return v ? [v] : [];
  });
}

/** Whether the path of elements exists with text (a crude walk that suffices for these messages). */
function has(xml: string, path: string): boolean {
  const steps = path.split('/');
  let scope = [xml];
  for (const [i, step] of steps.entries()) {
    const last = i === steps.length - 1;
    scope = scope.flatMap((s) =>
      [...s.matchAll(new RegExp(`<${step}(?: [^>]*)?>([\\s\\S]*?)</${step}>`, 'g'))].map(
        (m) => m[1]!,
      ),
    );
    if (last) return scope.some((s) => s.trim() !== '' && !s.includes('<'));
  }
  return false;
}
