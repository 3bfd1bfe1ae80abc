import { z } from 'zod';

/**
 * The DCSA error object (error domain 2.0.0): how every refusal of the DCSA APIs (`/v3/...`)
 * reads, instead of the platform's RFC 9457 problem.
 */
export const dcsaErrorSchema = z
  .object({
    httpMethod: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTION', 'PATCH']),
    requestUri: z.string(),
    statusCode: z.number().int(),
    statusCodeText: z.string().max(50),
    errorMessage: z.string().max(200).optional(),
    providerCorrelationID: z.string().max(100).optional(),
    errorDateTime: z.string(),
    errors: z
      .array(
        z.object({
          errorCode: z.number().int().min(7000).max(9999).optional(),
          field: z.string().max(50).optional(),
          value: z.string().max(500).optional(),
          reason: z.string().max(100),
          message: z.string().max(200),
        }),
      )
      .min(1),
  })
  .meta({ id: 'DcsaError', description: 'DCSA error object (error domain 2.0.0)' });

/**
 * The error object of DCSA Booking 2.0 (its own `ErrorResponse`): `statusCodeMessage`,
 * `providerCorrelationReference` and, per error, `property`, `errorCodeText`, `errorCodeMessage`.
 */
export const bkgErrorSchema = z
  .object({
    httpMethod: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTION', 'PATCH']),
    requestUri: z.string(),
    statusCode: z.number().int(),
    statusCodeText: z.string().max(50),
    statusCodeMessage: z.string().max(200).optional(),
    providerCorrelationReference: z.string().max(100).optional(),
    errorDateTime: z.string(),
    errors: z
      .array(
        z.object({
          errorCode: z.number().int().min(7000).max(9999).optional(),
          property: z.string().max(100).optional(),
          value: z.string().max(500).optional(),
          jsonPath: z.string().max(500).optional(),
          errorCodeText: z.string().max(100),
          errorCodeMessage: z.string().max(5000),
        }),
      )
      .min(1),
  })
  .meta({ id: 'DcsaBookingError', description: 'DCSA Booking 2.0 error object' });
