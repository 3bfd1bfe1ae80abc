import { z } from 'zod';

/** RFC 9457 problem details, the body of every 4xx and 5xx answer. */
export const problemSchema = z
  .object({
    type: z.string().meta({ example: '/problems/invalid_data' }),
    title: z.string().meta({ example: 'Invalid data' }),
    status: z.number().int().meta({ example: 400 }),
    detail: z.string().meta({ example: 'body.email: Invalid email address' }),
    instance: z.string().optional(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

/** Ids in paths: prefixed ids of the platform (org_..., usr_..., key_...). */
export const idParam = z.string().regex(/^[a-z]{3}_[A-Za-z0-9]{1,40}$/, 'not an id');

export const timestamp = z
  .string()
  .meta({ description: 'ISO 8601 UTC', example: '2026-12-01T08:00:00.000Z' });

/** `limit` and `cursor` of a paged list. */
export const pageQueryFields = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .meta({ description: 'most items on the page: 1 to 1000, 500 when absent' }),
  cursor: z
    .string()
    .max(300)
    .optional()
    .meta({ description: "the page before's nextCursor; none for the first page" }),
};

export const pageQuerySchema = z.object(pageQueryFields);

/** What a paged list answers beside its items. */
export const pageAnswerFields = {
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'send as cursor for the next page; null on the last page' }),
  total: z.number().int().meta({ description: 'how many items the whole list holds' }),
};
