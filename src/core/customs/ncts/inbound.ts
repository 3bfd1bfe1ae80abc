import { NCTS_NAMESPACE } from './declaration-data.ts';
import { localName, parseXml, type XmlElement } from './xml.ts';

/**
 * The NCTS phase 6 messages a national transit application sends back (XSD 60.4.16), read into
 * what the platform applies: CC028C MRN allocated, CC029C release for transit, CC060C control
 * decision, CC056C rejection, CC025C goods release notification, CC007C arrival notification,
 * CC043C unloading permission, CC044C unloading remarks. Each is checked for the data groups the
 * platform reads, in the schema's own terms (required elements, MRN, LRN, office and date
 * layouts); every problem is named with its element path. Pure.
 */

export const INBOUND_TYPES = [
  'CC028C',
  'CC029C',
  'CC060C',
  'CC056C',
  'CC025C',
  'CC007C',
  'CC043C',
  'CC044C',
] as const;
export type InboundType = (typeof INBOUND_TYPES)[number];

/** The MESSAGE group of a message. */
export interface InboundHeader {
  messageIdentification: string;
  messageSender: string;
  messageRecipient: string;
  /** As written: UTC to the second, without zone. */
  preparationDateAndTime: string;
  correlationIdentifier: string | null;
}

export type InboundMessage = { header: InboundHeader } & (
  | { type: 'CC028C'; lrn: string; mrn: string; acceptanceDate: string; office: string }
  | {
      type: 'CC029C';
      lrn: string;
      mrn: string;
      releaseDate: string;
      office: string;
      /** The control result at departure, when the goods were controlled (code A1 satisfactory …). */
      controlResult: {
        code: string;
        date: string;
        controlledBy: string;
        text: string | null;
      } | null;
    }
  | {
      type: 'CC060C';
      lrn: string | null;
      mrn: string | null;
      office: string;
      /** 0 intention to control, 1 documents requested, 2 both (code list CL304). */
      notificationType: string;
      controls: { type: string; text: string | null }[];
      requestedDocuments: { documentType: string; description: string | null }[];
    }
  | {
      type: 'CC056C';
      lrn: string | null;
      mrn: string | null;
      office: string;
      businessRejectionType: string;
      rejectionCode: string;
      rejectionReason: string | null;
      errors: { pointer: string; code: string; reason: string }[];
    }
  | {
      type: 'CC025C';
      mrn: string;
      office: string;
      releaseDate: string;
      /** 1 released, 2 released with discrepancies, 3 … (code list CL315). */
      releaseIndicator: string;
    }
  | { type: 'CC007C'; mrn: string; office: string; arrivalDateAndTime: string }
  | { type: 'CC043C'; mrn: string; office: string }
  | {
      type: 'CC044C';
      mrn: string;
      office: string;
      conform: boolean;
      sealsIntact: boolean | null;
      remark: string | null;
      unloadingDate: string;
    }
);

export type InboundRead =
  | { ok: true; message: InboundMessage }
  | { ok: false; problems: { path: string; message: string }[] };

const MRN =
  /^(([0-1][0-9]|2[0-4])[A-Z]{2}[A-Z0-9]{13}[0-9]|(2[4-9]|[3-9][0-9])[A-Z]{2}[A-Z0-9]{12}[J-M][0-9])$/;
const OFFICE = /^[A-Z]{2}[A-Z0-9]{6}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const FLAG = /^[01]$/;
const TOKEN35 = /^.{1,35}$/;

/** Reads one inbound NCTS message from its XML text (at most `maxBytes` UTF-8 bytes). Pure. */
export function readInboundMessage(xml: string, maxBytes: number): InboundRead {
  const bytes = new TextEncoder().encode(xml).length;
  if (bytes > maxBytes)
    return {
      ok: false,
      problems: [{ path: 'body', message: `the message is ${bytes} bytes, above ${maxBytes}` }],
    };
  const parsed = parseXml(xml);
  if (!parsed.ok)
    return {
      ok: false,
      problems: [{ path: 'body', message: `not well-formed XML: ${parsed.problem}` }],
    };
  const root = parsed.root;
  const type = localName(root.name);
  const prefix = root.name.includes(':') ? root.name.slice(0, root.name.indexOf(':')) : null;
  const ns = prefix ? root.attributes[`xmlns:${prefix}`] : root.attributes.xmlns;
  if (!(INBOUND_TYPES as readonly string[]).includes(type))
    return {
      ok: false,
      problems: [
        {
          path: type,
          message: `not an NCTS message the platform reads (${INBOUND_TYPES.join(', ')})`,
        },
      ],
    };
  if (ns !== NCTS_NAMESPACE)
    return {
      ok: false,
      problems: [
        { path: type, message: `the root element is not in the namespace ${NCTS_NAMESPACE}` },
      ],
    };
  const r = new Reader(type);
  const header: InboundHeader = {
    messageSender: r.text(root, 'messageSender', TOKEN35),
    messageRecipient: r.text(root, 'messageRecipient', TOKEN35),
    preparationDateAndTime: r.text(root, 'preparationDateAndTime', DATE_TIME),
    messageIdentification: r.text(root, 'messageIdentification', TOKEN35),
    correlationIdentifier: r.optional(root, 'correlationIdentifier', TOKEN35),
  };
  const messageType = r.text(root, 'messageType', /^CC\d{3}C$/);
  if (messageType && messageType !== type)
    r.problem('messageType', `says ${messageType} in a ${type} message`);
  const message = body(r, root, type as InboundType, header);
  return r.problems.length > 0 ? { ok: false, problems: r.problems } : { ok: true, message };
}

function body(
  r: Reader,
  root: XmlElement,
  type: InboundType,
  header: InboundHeader,
): InboundMessage {
  const op = r.group(root, 'TransitOperation');
  const departure = () =>
    r.text(r.group(root, 'CustomsOfficeOfDeparture'), 'referenceNumber', OFFICE);
  const destination = () =>
    r.text(r.group(root, 'CustomsOfficeOfDestinationActual'), 'referenceNumber', OFFICE);
  const lrn = /^.{1,22}$/;
  switch (type) {
    case 'CC028C':
      return {
        header,
        type,
        lrn: r.text(op, 'LRN', lrn),
        mrn: r.text(op, 'MRN', MRN),
        acceptanceDate: r.text(op, 'declarationAcceptanceDate', DATE),
        office: departure(),
      };
    case 'CC029C': {
      const control = r.find(root, 'ControlResult');
      return {
        header,
        type,
        lrn: r.text(op, 'LRN', lrn),
        mrn: r.text(op, 'MRN', MRN),
        releaseDate: r.text(op, 'releaseDate', DATE),
        office: departure(),
        controlResult: control
          ? {
              code: r.text(control, 'code', /^.{2}$/),
              date: r.text(control, 'date', DATE),
              controlledBy: r.text(control, 'controlledBy', TOKEN35),
              text: r.optional(control, 'text', /^.{1,512}$/s),
            }
          : null,
      };
    }
    case 'CC060C':
      return {
        header,
        type,
        lrn: r.optional(op, 'LRN', lrn),
        mrn: r.optional(op, 'MRN', MRN),
        office: departure(),
        notificationType: r.text(op, 'notificationType', /^[0-9]$/),
        controls: r.all(root, 'TypeOfControls').map((c) => ({
          type: r.text(c, 'type', /^.{1,3}$/),
          text: r.optional(c, 'text', /^.{1,512}$/s),
        })),
        requestedDocuments: r.all(root, 'RequestedDocument').map((c) => ({
          documentType: r.text(c, 'documentType', /^.{4}$/),
          description: r.optional(c, 'description', /^.{1,512}$/s),
        })),
      };
    case 'CC056C':
      return {
        header,
        type,
        lrn: r.optional(op, 'LRN', lrn),
        mrn: r.optional(op, 'MRN', MRN),
        office: departure(),
        businessRejectionType: r.text(op, 'businessRejectionType', /^.{3}$/),
        rejectionCode: r.text(op, 'rejectionCode', /^[0-9]{1,2}$/),
        rejectionReason: r.optional(op, 'rejectionReason', /^.{1,512}$/s),
        errors: r.all(root, 'FunctionalError').map((e) => ({
          pointer: r.text(e, 'errorPointer', /^.{1,512}$/s),
          code: r.text(e, 'errorCode', /^.{1,3}$/),
          reason: r.text(e, 'errorReason', /^.{1,7}$/),
        })),
      };
    case 'CC025C':
      return {
        header,
        type,
        mrn: r.text(op, 'MRN', MRN),
        office: destination(),
        releaseDate: r.text(op, 'releaseDate', DATE),
        releaseIndicator: r.text(op, 'releaseIndicator', /^[0-9]$/),
      };
    case 'CC007C':
      return {
        header,
        type,
        mrn: r.text(op, 'MRN', MRN),
        office: destination(),
        arrivalDateAndTime: r.text(op, 'arrivalNotificationDateAndTime', DATE_TIME),
      };
    case 'CC043C':
      return { header, type, mrn: r.text(op, 'MRN', MRN), office: destination() };
    case 'CC044C': {
      const remark = r.group(root, 'UnloadingRemark');
      const seals = r.optional(remark, 'stateOfSeals', FLAG);
      return {
        header,
        type,
        mrn: r.text(op, 'MRN', MRN),
        office: destination(),
        conform: r.text(remark, 'conform', FLAG) === '1',
        sealsIntact: seals === null ? null : seals === '1',
        remark: r.optional(remark, 'unloadingRemark', /^.{1,512}$/s),
        unloadingDate: r.text(remark, 'unloadingDate', DATE),
      };
    }
  }
}

/** Reads elements by path, collecting a problem for each missing or ill-formed one. */
class Reader {
  readonly problems: { path: string; message: string }[] = [];
  private readonly paths = new WeakMap<XmlElement, string>();
  constructor(private readonly rootName: string) {}

  problem(path: string, message: string): void {
    this.problems.push({ path: `${this.rootName}/${path}`, message });
  }

  private pathOf(e: XmlElement | undefined): string {
    return e ? (this.paths.get(e) ?? '') : '';
  }

  private join(parent: XmlElement | undefined, name: string): string {
    const base = this.pathOf(parent);
    return base ? `${base}/${name}` : name;
  }

  find(parent: XmlElement | undefined, name: string): XmlElement | undefined {
    const found = parent?.children.filter((c) => c.name === name) ?? [];
    if (found.length > 1) this.problem(this.join(parent, name), 'given more than once');
    if (found[0]) this.paths.set(found[0], this.join(parent, name));
    return found[0];
  }

  all(parent: XmlElement | undefined, name: string): XmlElement[] {
    const found = parent?.children.filter((c) => c.name === name) ?? [];
    found.forEach((e, i) => this.paths.set(e, `${this.join(parent, name)}[${i + 1}]`));
    return found;
  }

  /** A required data group (an empty stand-in, after its problem, when missing). */
  group(parent: XmlElement | undefined, name: string): XmlElement | undefined {
    const e = this.find(parent, name);
    if (!e && parent) this.problem(this.join(parent, name), 'required, missing');
    return e;
  }

  optional(parent: XmlElement | undefined, name: string, shape: RegExp): string | null {
    const e = this.find(parent, name);
    if (!e) return null;
    if (e.children.length > 0 || !shape.test(e.text)) {
      this.problem(
        this.join(parent, name),
        `"${e.text.slice(0, 40)}" is not of the form ${shape.source}`,
      );
      return null;
    }
    return e.text;
  }

  text(parent: XmlElement | undefined, name: string, shape: RegExp): string {
    if (!parent) return '';
    const value = this.optional(parent, name, shape);
    if (value === null && !this.find(parent, name))
      this.problem(this.join(parent, name), 'required, missing');
    return value ?? '';
  }
}
