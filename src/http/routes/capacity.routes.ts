import { departuresQuerySchema, departuresResponseSchema } from '../../api/capacity.ts';
import { problemSchema } from '../../api/common.ts';
import { departuresView } from '../../app/capacity.ts';
import { AppError } from '../../app/errors.ts';
import { isIsoDate } from '../../core/shared/time-zone.ts';
import type { App, HttpDeps } from '../context.ts';

export function capacityRoutes(app: App, deps: HttpDeps): void {
  app.get(
    '/v1/departures',
    {
      schema: {
        tags: ['capacity'],
        summary: 'Capacity, held, confirmed and available TEU per departure and leg of a service',
        description:
          'Public: slot visibility for every service, the Caspian crossings included. Who booked is never shown.',
        querystring: departuresQuerySchema,
        response: { 200: departuresResponseSchema, 400: problemSchema },
      },
    },
    async (request) => {
      const { service, from, days } = request.query;
      if (from !== undefined && !isIsoDate(from))
        throw new AppError('invalid_data', `${from} is not a real date`, [
          { path: 'query.from', message: 'not a real date' },
        ]);
      return departuresView(deps.network, deps.capacity, service, from ?? deps.today(), days);
    },
  );
}
