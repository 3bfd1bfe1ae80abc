import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * The official DCSA OpenAPI files (../shared/standards/dcsa/, unchanged from
 * dcsaorg/DCSA-OpenAPI) as validators: each SwaggerHub `$ref` of a spec resolves to the domain
 * file of the same name and version beside it. Ajv 8 (the one ajv-formats is built for) in
 * OpenAPI 3.0 terms: `nullable`, `discriminator` and `example` are annotations.
 */

export const DCSA_DIR = resolve(import.meta.dirname, '../../../shared/standards/dcsa');

interface ErrorObject {
  instancePath: string;
  message?: string;
  params: unknown;
}
interface ValidateFunction {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
interface AjvLike {
  addSchema(schema: object, key: string): AjvLike;
  compile(schema: object): ValidateFunction;
}

// ajv-formats depends on Ajv 8 and resolves it for us; the top-level `ajv` is another major.
const requireAjv = createRequire(import.meta.resolve('ajv-formats'));
const Ajv = (requireAjv('ajv') as { default: new (options: object) => AjvLike }).default;

/** SwaggerHub domain name → folder and file prefix in DCSA_DIR/domain. */
const DOMAINS: Record<string, string> = {
  EVENT_DOMAIN: 'event/event_domain',
  DCSA_DOMAIN: 'dcsa/dcsa_domain',
  LOCATION_DOMAIN: 'location/dcsa_location',
  ERROR_DOMAIN: 'error/error_domain',
  DOCUMENTATION_DOMAIN: 'documentation/documentation_domain',
};

/** OpenAPI 3.0's boolean `exclusiveMinimum` / `exclusiveMaximum` (beside `minimum`) as Ajv 8 reads them. */
function exclusiveAsNumbers(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(exclusiveAsNumbers);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = exclusiveAsNumbers(v);
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const)
    if (typeof out[flag] === 'boolean') {
      if (out[flag] && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
// The CommonJS module is the plugin itself.
(addFormats as unknown as (ajv: AjvLike) => void)(ajv);
for (const [name, file] of Object.entries(DOMAINS)) {
  const [folder, prefix] = file.split('/') as [string, string];
  for (const f of readdirSync(join(DCSA_DIR, 'domain', folder))) {
    const m = new RegExp(`^${prefix}_v(\\d+\\.\\d+\\.\\d+)\\.yaml$`).exec(f);
    if (m)
      ajv.addSchema(
        exclusiveAsNumbers(
          parse(readFileSync(join(DCSA_DIR, 'domain', folder, f), 'utf8')),
        ) as object,
        `https://api.swaggerhub.com/domains/dcsaorg/${name}/${m[1]}`,
      );
  }
}
const SPECS = {
  tnt: 'tnt/v3/tnt_v3.0.0-Beta-1.yaml',
  bkg: 'bkg/v2/BKG_v2.0.0.yaml',
} as const;
const documents = new Map<string, Record<string, unknown>>();
for (const [key, file] of Object.entries(SPECS)) {
  const doc = exclusiveAsNumbers(parse(readFileSync(join(DCSA_DIR, file), 'utf8'))) as Record<
    string,
    unknown
  >;
  documents.set(key, doc);
  ajv.addSchema(doc, `urn:dcsa:${key}`);
}

/** A spec as parsed (its examples are read by tests). */
export function dcsaSpec(key: keyof typeof SPECS): Record<string, unknown> {
  return documents.get(key)!;
}

const cache = new Map<string, ValidateFunction>();

/**
 * The problems of a value against a schema of a spec, by JSON pointer into it (e.g.
 * `/paths/~1v3~1events/get/responses/200/content/application~1json/schema`); empty: valid.
 */
export function dcsaProblems(key: keyof typeof SPECS, pointer: string, value: unknown): string[] {
  const ref = `urn:dcsa:${key}#${pointer}`;
  let validate = cache.get(ref);
  if (!validate) cache.set(ref, (validate = ajv.compile({ $ref: ref })));
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}

/** JSON pointers of TNT 3.0 bodies. */
export const TNT = {
  events: '/paths/~1v3~1events/get/responses/200/content/application~1json/schema',
  event: '/paths/~1v3~1events~1{eventID}/get/responses/200/content/application~1json/schema',
  error: '/paths/~1v3~1events/get/responses/default/content/application~1json/schema',
  subscriptions:
    '/paths/~1v3~1event-subscriptions/get/responses/200/content/application~1json/schema',
  subscription:
    '/paths/~1v3~1event-subscriptions/post/responses/201/content/application~1json/schema',
  subscriptionRequest:
    '/paths/~1v3~1event-subscriptions/post/requestBody/content/application~1json/schema',
  notImplemented:
    '/paths/~1v3~1event-subscriptions~1{subscriptionID}/put/responses/501/content/application~1json/schema',
  notification:
    '/paths/~1v3~1event-subscriptions/post/callbacks/event/callbackPost/post/requestBody/content/application~1json/schema',
} as const;

/** JSON pointers of Booking 2.0 bodies. */
export const BKG = {
  createRequest: '/paths/~1v2~1bookings/post/requestBody/content/application~1json/schema',
  created: '/paths/~1v2~1bookings/post/responses/202/content/application~1json/schema',
  updateRequest:
    '/paths/~1v2~1bookings~1{bookingReference}/put/requestBody/content/application~1json/schema',
  booking:
    '/paths/~1v2~1bookings~1{bookingReference}/get/responses/200/content/application~1json/schema',
  cancelRequest:
    '/paths/~1v2~1bookings~1{bookingReference}/patch/requestBody/content/application~1json/schema',
  error: '/paths/~1v2~1bookings/post/responses/400/content/application~1json/schema',
  notification:
    '/paths/~1v2~1booking-notifications/post/requestBody/content/application~1json/schema',
} as const;
