import { z } from 'zod';
import { idParam, timestamp } from './common.ts';

export const ORGANISATION_KIND_VALUES = [
  'shipper',
  'forwarder',
  'carrier',
  'terminal',
  'customs',
  'coordinator',
  'service_provider',
  'platform',
] as const;
export const ROLE_VALUES = ['admin', 'member', 'officer'] as const;

const email = z.email().max(254);

export const loginBodySchema = z.strictObject({
  email: email.meta({ example: 'admin@ktz-express.example' }),
  password: z.string().min(1).max(1000),
  organisation: z.string().min(1).max(200).optional().meta({
    description:
      'The organisation to sign in to, by id or name (any case): needed only when the e-mail address and password are those of users of several organisations (the 400 answer then lists them in `organisations`).',
    example: 'KTZ Express',
  }),
});

export const organisationSchema = z
  .object({
    id: z.string().meta({ example: 'org_3f9a1c2b4d5e6f708192' }),
    name: z.string(),
    kind: z.enum(ORGANISATION_KIND_VALUES),
    country: z.string(),
    autoConfirm: z
      .boolean()
      .meta({ description: "a carrier's policy: rides on its services are confirmed at once" }),
    createdAt: timestamp,
    services: z.array(z.string()),
    customsOffices: z.array(
      z.object({ code: z.string(), name: z.string(), nodeId: z.string().nullable() }),
    ),
  })
  .meta({ id: 'Organisation' });

export const userSchema = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLE_VALUES),
    disabled: z.boolean(),
    createdAt: timestamp,
  })
  .meta({ id: 'User' });

export const sessionSchema = z
  .object({
    user: userSchema,
    organisation: organisationSchema,
    csrfToken: z.string().meta({
      description:
        'send as X-CSRF-Token on every state-changing request made with the session cookie',
    }),
    expiresAt: timestamp,
  })
  .meta({ id: 'Session' });

export const newOrganisationSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).meta({ example: 'Caspian Forwarding LLC' }),
  kind: z.enum(ORGANISATION_KIND_VALUES),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code')
    .meta({ example: 'AZ' }),
  services: z.array(z.string().max(100)).max(200).optional(),
  customsOffices: z
    .array(
      z.strictObject({
        code: z.string().max(20),
        name: z.string().min(1).max(200),
        nodeId: z.string().max(100).nullable().optional(),
      }),
    )
    .max(200)
    .optional(),
});

export const newUserSchema = z.strictObject({
  email: email.meta({ example: 'dispatcher@example.com' }),
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLE_VALUES),
  password: z
    .string()
    .min(12)
    .max(1000)
    .optional()
    .meta({ description: 'at least 12 characters; generated and returned once when absent' }),
});

export const createdUserSchema = z
  .object({ user: userSchema, password: z.string().nullable() })
  .meta({ id: 'CreatedUser' });

export const apiKeySchema = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'the first characters of the key' }),
    role: z.enum(ROLE_VALUES),
    createdBy: z.string().nullable(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const newApiKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(200).meta({ example: 'tracking integration' }),
  role: z.enum(ROLE_VALUES).optional(),
});

export const createdApiKeySchema = z
  .object({
    apiKey: apiKeySchema,
    key: z.string().meta({ description: 'shown once; send as Authorization: Bearer <key>' }),
  })
  .meta({ id: 'CreatedApiKey' });

export const orgParams = z.strictObject({ orgId: idParam });
export const keyParams = z.strictObject({ orgId: idParam, keyId: idParam });

export const organisationChangeSchema = z.strictObject({
  autoConfirm: z.boolean().meta({
    description: "a carrier's policy: rides booked on its services are confirmed at once",
  }),
});

export const userParams = z.strictObject({ orgId: idParam, userId: idParam });
export const userSessionParams = z.strictObject({
  orgId: idParam,
  userId: idParam,
  sessionId: z
    .string()
    .regex(/^[0-9a-f]{16}$/, '16 hexadecimal digits')
    .meta({ description: 'as listed in the user’s sessions' }),
});

export const userChangeSchema = z.strictObject({
  disabled: z.boolean().meta({
    description:
      'true: the user cannot sign in, its sessions end and the API keys it created stop working; false: enabled again',
  }),
});

export const resetPasswordSchema = z
  .object({
    user: userSchema,
    password: z.string().meta({ description: 'generated, shown once; the old one stops working' }),
  })
  .meta({ id: 'ResetPassword' });

export const userSessionSchema = z
  .object({
    id: z.string().meta({ description: 'the first 16 hex digits of the session token’s SHA-256' }),
    createdAt: timestamp,
    expiresAt: timestamp,
  })
  .meta({ id: 'UserSession' });
