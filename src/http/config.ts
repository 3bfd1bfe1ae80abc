import { DEFAULT_HOLD_MINUTES } from '../app/bookings.ts';
import { PRE_ARRIVAL_HOURS } from '../app/customs.ts';
import { z } from 'zod';

/** Defaults of the server's settings, each overridable by the variable named beside it. */
export const DEFAULTS = {
  PORT: 8080,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  CORRIDOR_BODY_LIMIT_BYTES: 1_048_576,
  CORRIDOR_LOGIN_PER_MINUTE: 10,
  CORRIDOR_WRITE_PER_MINUTE: 120,
  CORRIDOR_SECURE_COOKIES: 'false',
  CORRIDOR_HOLD_MINUTES: DEFAULT_HOLD_MINUTES,
  CORRIDOR_WEBHOOK_ALLOW: '',
  CORRIDOR_WEBHOOK_RETRY_SECONDS: 60,
  CORRIDOR_PRE_ARRIVAL_HOURS: PRE_ARRIVAL_HOURS,
  CORRIDOR_PUBLIC_URL: '',
  CORRIDOR_SIGNING_KEY_FILE: '',
  CORRIDOR_KEY_SECRET: '',
  CORRIDOR_TRUST_PROXY: '',
} as const;

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULTS.PORT),
  HOST: z.string().min(1).default(DEFAULTS.HOST),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default(DEFAULTS.LOG_LEVEL),
  CORRIDOR_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(52_428_800)
    .default(DEFAULTS.CORRIDOR_BODY_LIMIT_BYTES),
  CORRIDOR_LOGIN_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(DEFAULTS.CORRIDOR_LOGIN_PER_MINUTE),
  CORRIDOR_WRITE_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(DEFAULTS.CORRIDOR_WRITE_PER_MINUTE),
  CORRIDOR_SECURE_COOKIES: z.enum(['true', 'false']).default(DEFAULTS.CORRIDOR_SECURE_COOKIES),
  CORRIDOR_HOLD_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_080)
    .default(DEFAULTS.CORRIDOR_HOLD_MINUTES),
  CORRIDOR_WEBHOOK_ALLOW: z
    .string()
    .regex(
      /^[A-Za-z0-9.:/,\s_-]*$/,
      'a comma-separated list of host names, addresses and networks (e.g. 127.0.0.1,10.0.0.0/8)',
    )
    .default(DEFAULTS.CORRIDOR_WEBHOOK_ALLOW),
  CORRIDOR_WEBHOOK_RETRY_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(DEFAULTS.CORRIDOR_WEBHOOK_RETRY_SECONDS),
  CORRIDOR_PRE_ARRIVAL_HOURS: z.coerce
    .number()
    .min(0)
    .max(720)
    .default(DEFAULTS.CORRIDOR_PRE_ARRIVAL_HOURS),
  CORRIDOR_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL, e.g. https://corridor.example.org' })
    .optional(),
  CORRIDOR_SIGNING_KEY_FILE: z.string().min(1).optional(),
  CORRIDOR_KEY_SECRET: z
    .string()
    .min(32, { error: 'at least 32 characters (e.g. openssl rand -base64 32)' })
    .optional(),
  CORRIDOR_TRUST_PROXY: z
    .string()
    .regex(/^[0-9a-fA-F.:/, ]+$|^loopback$/, {
      error: "loopback, or the proxies' addresses or networks, e.g. 10.0.0.0/8,127.0.0.1",
    })
    .optional(),
});

export interface ServerConfig {
  port: number;
  host: string;
  logLevel: string;
  bodyLimitBytes: number;
  loginPerMinute: number;
  writePerMinute: number;
  secureCookies: boolean;
  /** How long a booking holds its capacity while carriers decide. */
  holdMinutes: number;
  /** Hosts, addresses and networks webhook callbacks may reach although not public. */
  webhookAllow: string;
  /** First retry of a failed webhook delivery, seconds; each next one waits twice as long. */
  webhookRetrySeconds: number;
  /** Customs segments are assessed when the box is expected within this many hours. */
  preArrivalHours: number;
  /** The address people reach the platform at, printed in documents' verification links. */
  publicUrl: string | undefined;
  /** A PEM file with the Ed25519 key documents are signed with; else one kept in the database. */
  signingKeyFile: string | undefined;
  /** Encrypts the parties' signing keys in the database (AES-256-GCM); else they are kept as PEM. */
  keySecret: string | undefined;
  /**
   * Reverse proxies whose X-Forwarded-For names the client (for rate limits and logs): `loopback`
   * or addresses and networks; undefined trusts none.
   */
  trustProxy: string | undefined;
}

/**
 * Reads the server settings once from the environment, with the flags (`--port`, `--host`)
 * winning over it. Every bad variable is reported, not just the first.
 */
export function parseServerConfig(
  env: Readonly<Record<string, string | undefined>>,
  flags: { port?: number | undefined; host?: string | undefined },
): { ok: true; config: ServerConfig } | { ok: false; errors: string[] } {
  const present = Object.fromEntries(
    Object.keys(schema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success)
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    };
  const c = parsed.data;
  return {
    ok: true,
    config: {
      port: flags.port ?? c.PORT,
      host: flags.host ?? c.HOST,
      logLevel: c.LOG_LEVEL,
      bodyLimitBytes: c.CORRIDOR_BODY_LIMIT_BYTES,
      loginPerMinute: c.CORRIDOR_LOGIN_PER_MINUTE,
      writePerMinute: c.CORRIDOR_WRITE_PER_MINUTE,
      secureCookies: c.CORRIDOR_SECURE_COOKIES === 'true',
      holdMinutes: c.CORRIDOR_HOLD_MINUTES,
      webhookAllow: c.CORRIDOR_WEBHOOK_ALLOW,
      webhookRetrySeconds: c.CORRIDOR_WEBHOOK_RETRY_SECONDS,
      preArrivalHours: c.CORRIDOR_PRE_ARRIVAL_HOURS,
      trustProxy: c.CORRIDOR_TRUST_PROXY,
      publicUrl: c.CORRIDOR_PUBLIC_URL?.replace(/\/$/, ''),
      signingKeyFile: c.CORRIDOR_SIGNING_KEY_FILE,
      keySecret: c.CORRIDOR_KEY_SECRET,
    },
  };
}
