import { canonicalJson } from '../core/customs/audit-chain.ts';
import { releaseTimes, type ReleaseTimes } from '../core/customs/release-times.ts';
import {
  assessRisk,
  backtest,
  EMPTY_RULE_SET,
  NO_COUNTS,
  type BacktestResult,
  type RiskDecision,
  type RiskFacts,
  type RuleHit,
  type RuleSet,
} from '../core/customs/risk.ts';
import { seedOf } from '../core/shared/rng.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { actorName } from './customs-views.ts';
import { customsOrganisation } from './customs.ts';
import { factsOf } from './customs-facts.ts';
import type { CustomsDeps } from './customs-deps.ts';
import { AppError } from './errors.ts';
import type { StoredRuleSet } from './customs-ports.ts';

/**
 * A customs administration's selectivity rules (core/customs/risk.ts): versions published by its
 * admins, the rule set in force, back-tests over past declarations, the replay of a recorded
 * decision, and the release-time figures of its offices.
 */

/** Publishes a new version of a country's or office's rule set (its customs administrators). */
export async function publishRuleSet(
  deps: CustomsDeps,
  actor: Actor,
  scope: string,
  rules: RuleSet,
): Promise<StoredRuleSet> {
  await requireRuleAdmin(deps, actor, scope);
  return deps.customs.publishRuleSet(scope, rules, actorName(actor), deps.clock.now());
}

/**
 * The rule set in force for a country or office: the office's own, else its country's, else
 * (none published) the empty rule set as version 0.
 */
export async function currentRuleSet(
  deps: CustomsDeps,
  actor: Actor,
  scope: string,
): Promise<StoredRuleSet> {
  await customsOrganisation(deps, actor, scope.slice(0, 2));
  const scopes = scope.length > 2 ? [scope, scope.slice(0, 2)] : [scope];
  const found = await deps.customs.reads.ruleSet(scopes);
  // None published: every segment goes green, which is the rule set in force.
  return (
    found ?? {
      scope: scope.slice(0, 2),
      version: 0,
      rules: EMPTY_RULE_SET,
      counts: NO_COUNTS,
      createdBy: 'platform',
      createdAt: new Date(0),
    }
  );
}

/** Runs a rule set over the scope's past declarations (at most `limit`, oldest first). */
export async function backtestRuleSet(
  deps: CustomsDeps,
  actor: Actor,
  scope: string,
  rules: RuleSet,
  limit = 10_000,
): Promise<BacktestResult> {
  await customsOrganisation(deps, actor, scope.slice(0, 2));
  const country = scope.slice(0, 2);
  const past = (await deps.customs.list({ countries: [country], limit })).reverse();
  return backtest(
    rules,
    past.flatMap((d) =>
      d.segments
        .filter((s) => s.country === country && (scope.length === 2 || s.office === scope))
        .map((s) => ({
          facts: factsOf(d, s, d.segments, 0),
          seed: seedOf(`${d.mrn}/${s.country}/${d.version}`),
        })),
    ),
  );
}

/** The last risk decision of a segment, recomputed from its audit record: the same or not. */
export async function replayDecision(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
  country: string,
): Promise<{ recorded: RiskDecision; replayed: RiskDecision; identical: boolean }> {
  await customsOrganisation(deps, actor, country);
  const records = (await deps.customs.auditRecordsOf(id)).filter(
    (r) => r.country === country && r.action === 'assess',
  );
  const last = records.at(-1);
  if (!last) throw new AppError('not_found', `no risk decision on the ${country} segment of ${id}`);
  const detail = last.detail as {
    ruleSet: { scope: string; version: number } | null;
    facts: RiskFacts;
    counts: typeof NO_COUNTS;
    seed: number;
    decision: RiskDecision;
  };
  const set = detail.ruleSet
    ? (await deps.customs.ruleSetVersion(detail.ruleSet.scope, detail.ruleSet.version))?.rules
    : EMPTY_RULE_SET;
  if (!set) throw new AppError('not_found', 'the rule set version of that decision is gone');
  let replayed = assessRisk(set, detail.facts, detail.counts, detail.seed);
  // Decisions recorded before hits carried their rule's description compare without it.
  if (detail.decision.hits.some((h) => h.description === undefined))
    replayed = { ...replayed, hits: replayed.hits.map(({ description: _, ...h }) => h as RuleHit) };
  return {
    recorded: detail.decision,
    replayed,
    identical: canonicalJson(replayed) === canonicalJson(detail.decision),
  };
}

/** Release times per office and lane (WCO TRS): customs see their country, the council all. */
export async function customsMetrics(
  deps: CustomsDeps,
  actor: Actor,
  filter: { country?: string | undefined; from?: Date | undefined; to?: Date | undefined },
): Promise<ReleaseTimes> {
  const org = await deps.organisations.find(actor.organisationId);
  let countries: string[] | undefined = filter.country ? [filter.country] : undefined;
  if (!isPlatformAdmin(actor) && org?.kind !== 'coordinator') {
    if (org?.kind !== 'customs')
      throw new AppError('forbidden', 'release times are for customs and the council');
    if (filter.country && filter.country !== org.country)
      throw new AppError('forbidden', `your administration sees ${org.country} only`);
    countries = [org.country];
  }
  return releaseTimes(
    await deps.customs.timedSegments({ countries, from: filter.from, to: filter.to }),
  );
}

async function requireRuleAdmin(deps: CustomsDeps, actor: Actor, scope: string): Promise<void> {
  if (isPlatformAdmin(actor)) return;
  const org = await deps.organisations.find(actor.organisationId);
  if (!org || org.kind !== 'customs' || org.country !== scope.slice(0, 2))
    throw new AppError(
      'forbidden',
      `only the customs administration of ${scope.slice(0, 2)} edits its rules`,
    );
  if (actor.role !== 'admin')
    throw new AppError('forbidden', 'rule sets are edited by customs administrators');
  if (scope.length > 2 && !org.customsOffices.some((o) => o.code === scope))
    throw new AppError('invalid_data', `no office ${scope} in your administration`, [
      { path: 'params.scope', message: 'not one of your offices' },
    ]);
}
