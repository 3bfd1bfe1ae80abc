import { problemSchema } from '../api/common.ts';

/** The problem answers an authenticated route may give, for its OpenAPI description. */
export const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  429: problemSchema,
};

/** Either a session cookie or an API key. */
export const security = [{ session: [] }, { apiKey: [] }];
