import {
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { FittedDwell } from '../core/learning/dwell-fit.ts';
import type { FittedLink } from '../core/learning/link-fit.ts';

/**
 * The observed dwell models (app/dwell-models.ts): each refit from the actual events as a
 * version, and the models a council or platform admin froze.
 */

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const dwellModelVersions = pgTable('dwell_model_versions', {
  version: integer('version').primaryKey(),
  fittedAt: at('fitted_at').notNull(),
  samples: integer('samples').notNull(),
  shipments: integer('shipments').notNull(),
  periodFrom: at('period_from'),
  periodTo: at('period_to'),
  /** Every fitted model: place, operation, month, reference, observed, in force, fit, contributions. */
  models: jsonb('models').$type<FittedDwell[]>().notNull(),
  /** Running-time samples the fit counted (from the rides' carriers only). */
  linkSamples: integer('link_samples').notNull().default(0),
  /** Every fitted link: its timetable, observed and in-force running times, contributions. */
  links: jsonb('links').$type<FittedLink[]>().notNull().default([]),
});

export const dwellModelFreezes = pgTable(
  'dwell_model_freezes',
  {
    nodeId: text('node_id').notNull(),
    operation: text('operation').notNull(),
    p50Hours: doublePrecision('p50_hours').notNull(),
    p90Hours: doublePrecision('p90_hours').notNull(),
    version: integer('version'),
    /** The user who froze it. */
    frozenBy: text('frozen_by').notNull(),
    frozenAt: at('frozen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.operation] })],
);
