/**
 * A typed client of the platform's HTTP API, for the web app and for integrators
 * (`import { createCorridorClient } from 'corridor/client'`). Paths, parameters, bodies and
 * answers are checked against `schema.d.ts`, which openapi-typescript generates from
 * docs/openapi.json (`npm run openapi:update`); requests go through openapi-fetch.
 *
 * Each call resolves to `{ data, response }` on a 2xx and `{ error, response }` otherwise, where
 * `error` is the problem+json body the contract gives for that status (on `/v3/...`, the DCSA
 * error object). It never throws for a refusal; it rejects only when no answer came.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema.d.ts';

export type { components, paths } from './schema.d.ts';

/** The client: `GET`, `POST`, `PUT`, `PATCH`, `DELETE` of each path of the contract. */
export type CorridorClient = Client<paths>;

/** A named schema of the contract, e.g. `Schema<'Booking'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** An RFC 9457 problem details body: `errors` names each field at fault (`body.email`). */
export type Problem = components['schemas']['Problem'];

export interface CorridorClientOptions extends Omit<ClientOptions, 'baseUrl' | 'headers'> {
  /** Where the platform answers, e.g. `https://corridor.example`; `''` in a page it serves. */
  baseUrl: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** An organisation's API key, sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
}

/** A client of the platform at `baseUrl`, signed in with `apiKey` when given. */
export function createCorridorClient(options: CorridorClientOptions): CorridorClient {
  const { apiKey, baseUrl, headers, ...rest } = options;
  const common = new Headers(headers);
  if (!common.has('accept')) common.set('accept', 'application/json');
  if (apiKey !== undefined) common.set('authorization', `Bearer ${apiKey}`);
  return createClient<paths>({ ...rest, baseUrl: baseUrl.replace(/\/+$/, ''), headers: common });
}
