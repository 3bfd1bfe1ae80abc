import { pageAnswerFields, pageQuerySchema } from '../../api/common.ts';
import { pageRequest } from '../../app/paging.ts';
import { z } from 'zod';
import {
  auditHeadSchema,
  decisionsSchema,
  declarationBodySchema,
  deskOfficesSchema,
  declarationParams,
  declarationSchema,
  documentsAnswerSchema,
  metricsQuerySchema,
  releaseTimesSchema,
  queueQuerySchema,
  ruleSetAnswerSchema,
  ruleSetBodySchema,
  scopeParams,
  segmentActionSchema,
  segmentParams,
} from '../../api/customs.ts';
import { requireActor } from '../../app/actor.ts';
import { actOnSegment, decidedToday, deskOffices, officeQueue } from '../../app/customs-desk.ts';
import { UNDO_WINDOW_MS } from '../../core/customs/lifecycle.ts';
import {
  amendDeclaration,
  invalidateDeclaration,
  lodgeDeclaration,
  provideDocuments,
} from '../../app/customs.ts';
import { getDeclaration, listDeclarations, type DeclarationView } from '../../app/customs-views.ts';
import { anchorText, signAuditHead } from '../../app/customs-audit.ts';
import {
  backtestRuleSet,
  currentRuleSet,
  customsMetrics,
  publishRuleSet,
  replayDecision,
} from '../../app/customs-rules.ts';
import { AppError } from '../../app/errors.ts';
import type { CustomsSegment, StoredRuleSet } from '../../app/customs-ports.ts';
import type { App, HttpDeps } from '../context.ts';
import { idempotencyHeader, idempotent } from '../idempotency.ts';
import { problems, security } from '../route-docs.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function customsRoutes(app: App, deps: HttpDeps): void {
  const writeLimit = { rateLimit: { max: deps.rateLimits.writePerMinute, timeWindow: 60_000 } };
  const c = deps.customs;
  const tags = ['customs'];

  app.post(
    '/v1/customs/declarations',
    {
      config: writeLimit,
      schema: {
        tags,
        summary:
          'Lodge a transit declaration: accepted with an MRN and shared with every country on its itinerary',
        description:
          'The itinerary and containers are filled from `shipmentId` when not given. The same LRN and body again answer the declaration lodged (200); another body with that LRN is a 409. Segments due (the departure country, and any expected within the pre-arrival horizon) are assessed at once.',
        security,
        headers: idempotencyHeader,
        body: declarationBodySchema,
        response: { 200: declarationSchema, 201: declarationSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(
        deps,
        request,
        reply,
        (r) => r.status,
        async () => {
          const { declaration, created } = await lodgeDeclaration(
            c,
            requireActor(request.actor),
            request.body,
          );
          return {
            status: created ? 201 : 200,
            body: declarationJson({ kind: 'trader', declaration }),
          };
        },
        (_reply, r) => r.body,
      ),
  );

  app.get(
    '/v1/customs/declarations',
    {
      schema: {
        tags,
        summary:
          'Declarations the caller may see: traders their own, customs those crossing their country, carriers those of cargo they carry; newest first, a page at a time',
        security,
        querystring: pageQuerySchema,
        response: {
          200: z.object({ declarations: z.array(declarationSchema), ...pageAnswerFields }),
          ...problems,
        },
      },
    },
    async (request) => {
      const page = await listDeclarations(
        c,
        requireActor(request.actor),
        pageRequest(request.query.limit, request.query.cursor),
      );
      return {
        declarations: page.items.map(declarationJson),
        nextCursor: page.nextCursor,
        total: page.total ?? 0,
      };
    },
  );

  app.get(
    '/v1/customs/declarations/:id',
    {
      schema: {
        tags,
        summary: 'A declaration as the caller may see it',
        security,
        params: declarationParams,
        response: { 200: declarationSchema, ...problems },
      },
    },
    async (request) =>
      declarationJson(await getDeclaration(c, requireActor(request.actor), request.params.id)),
  );

  app.put(
    '/v1/customs/declarations/:id',
    {
      config: writeLimit,
      schema: {
        tags,
        summary:
          'Amend a declaration before any country has released it; every country assesses it again',
        security,
        params: declarationParams,
        body: declarationBodySchema,
        response: { 200: declarationSchema, ...problems },
      },
    },
    async (request) =>
      declarationJson({
        kind: 'trader',
        declaration: await amendDeclaration(
          c,
          requireActor(request.actor),
          request.params.id,
          request.body,
        ),
      }),
  );

  app.post(
    '/v1/customs/declarations/:id/invalidate',
    {
      config: writeLimit,
      schema: {
        tags,
        summary: 'Invalidate a declaration before any release; its guarantee is released',
        security,
        headers: idempotencyHeader,
        params: declarationParams,
        response: { 200: declarationSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 200, async () =>
        declarationJson({
          kind: 'trader',
          declaration: await invalidateDeclaration(
            c,
            requireActor(request.actor),
            request.params.id,
          ),
        }),
      ),
  );

  app.post(
    '/v1/customs/declarations/:id/segments/:country/actions',
    {
      config: writeLimit,
      schema: {
        tags,
        summary: "A customs officer's action on their country's segment",
        description:
          "assess (now), arrive, request_documents, check_documents (the documentary check of a yellow-lane box done), record_inspection (scan or physical; seals, discrepancies), release, hold, refuse, exit (terminated at the exit office), discharge, undo (the officer's own last decision, within a minute). A yellow-lane box is released only after its documents are recorded as checked, a red-lane one after a physical inspection: else 409 naming the reason. Repeating an action that has taken effect changes nothing. Each change is appended to the audit chain and emits the DCSA events it means (CUSI, CUSS, CUSR, CROS).",
        security,
        headers: idempotencyHeader,
        params: segmentParams,
        body: segmentActionSchema,
        response: { 200: declarationSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 200, async () => {
        const actor = requireActor(request.actor);
        const { id, country } = request.params;
        return declarationJson(await actOnSegment(c, actor, id, country, request.body));
      }),
  );

  app.post(
    '/v1/customs/declarations/:id/segments/:country/documents',
    {
      config: writeLimit,
      schema: {
        tags,
        summary: 'The trader answers a request for documents',
        security,
        headers: idempotencyHeader,
        params: segmentParams,
        body: documentsAnswerSchema,
        response: { 200: declarationSchema, ...problems },
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, 200, async () =>
        declarationJson({
          kind: 'trader',
          declaration: await provideDocuments(
            c,
            requireActor(request.actor),
            request.params.id,
            request.params.country,
            request.body.documents,
          ),
        }),
      ),
  );

  app.get(
    '/v1/customs/declarations/:id/segments/:country/replay',
    {
      schema: {
        tags,
        summary: "The segment's last risk decision recomputed from its audit record",
        security,
        params: segmentParams,
        response: {
          200: z.object({ identical: z.boolean(), recorded: z.unknown(), replayed: z.unknown() }),
          ...problems,
        },
      },
    },
    async (request) =>
      replayDecision(c, requireActor(request.actor), request.params.id, request.params.country),
  );

  app.get(
    '/v1/customs/audit/head',
    {
      config: writeLimit,
      schema: {
        tags,
        summary: "The customs audit log's head, signed with the platform's document key",
        description:
          'Signs the current head as the anchor of the day (UTC) when it moved, and answers it. Anyone signed in may keep it: a later deletion or rewrite of the log up to that record is then found by `corridor audit verify`. 409 when the log no longer holds the record last signed.',
        security,
        response: { 200: auditHeadSchema, ...problems },
      },
    },
    async (request) => {
      requireActor(request.actor);
      const anchor = await signAuditHead(deps.audit);
      if (!anchor) throw new AppError('not_found', 'the customs audit log has no record yet');
      return {
        day: anchor.day,
        seq: anchor.seq,
        hash: anchor.hash,
        signedAt: anchor.signedAt.toISOString(),
        keyId: anchor.keyId,
        signature: anchor.signature,
        signedText: anchorText(anchor),
      };
    },
  );

  app.get(
    '/v1/customs/offices',
    {
      schema: {
        tags,
        summary:
          "The offices of the caller's customs administration, the one with the most open segments first",
        security,
        response: { 200: deskOfficesSchema, ...problems },
      },
    },
    async (request) => ({ offices: await deskOffices(c, requireActor(request.actor)) }),
  );

  app.get(
    '/v1/customs/decisions',
    {
      schema: {
        tags,
        summary: "The decisions recorded at an office since the start of the office's day",
        security,
        querystring: queueQuerySchema,
        response: { 200: decisionsSchema, ...problems },
      },
    },
    async (request) => ({
      decisions: (await decidedToday(c, requireActor(request.actor), request.query.office)).map(
        (r) => {
          const detail = (r.detail ?? {}) as { note?: unknown; undid?: unknown };
          return {
            seq: r.seq,
            at: r.at.toISOString(),
            actor: r.actor,
            action: r.action,
            declarationId: r.declarationId,
            mrn: r.mrn,
            note: typeof detail.note === 'string' ? detail.note : null,
            undid: typeof detail.undid === 'string' ? detail.undid : null,
          };
        },
      ),
    }),
  );

  app.get(
    '/v1/customs/queue',
    {
      schema: {
        tags,
        summary: "An office's open segments, by when the box is expected, a page at a time",
        security,
        querystring: queueQuerySchema,
        response: {
          200: z.object({ declarations: z.array(declarationSchema), ...pageAnswerFields }),
          ...problems,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request.actor);
      const office = request.query.office;
      const page = await officeQueue(
        c,
        actor,
        office,
        pageRequest(request.query.limit, request.query.cursor),
      );
      return {
        declarations: page.items.map((declaration) =>
          declarationJson({ kind: 'customs', declaration, country: office.slice(0, 2) }),
        ),
        nextCursor: page.nextCursor,
        total: page.total ?? 0,
      };
    },
  );

  app.put(
    '/v1/customs/rule-sets/:scope',
    {
      config: writeLimit,
      schema: {
        tags,
        summary:
          'Publish a new version of the selectivity rules of a country (AZ) or an office (AZBAK001)',
        security,
        params: scopeParams,
        body: ruleSetBodySchema,
        response: { 200: ruleSetAnswerSchema, ...problems },
      },
    },
    async (request) =>
      ruleSetJson(
        await publishRuleSet(c, requireActor(request.actor), request.params.scope, request.body),
      ),
  );

  app.get(
    '/v1/customs/rule-sets/:scope',
    {
      schema: {
        tags,
        summary:
          "The rule set in force for a country or office (its own, else its country's; version 0, no rules, when none is published), with its lane counts",
        security,
        params: scopeParams,
        response: { 200: ruleSetAnswerSchema, ...problems },
      },
    },
    async (request) =>
      ruleSetJson(await currentRuleSet(c, requireActor(request.actor), request.params.scope)),
  );

  app.post(
    '/v1/customs/rule-sets/:scope/backtest',
    {
      schema: {
        tags,
        summary:
          "Run a rule set over the scope's past declarations: lane mix and hit rate per rule",
        security,
        params: scopeParams,
        body: ruleSetBodySchema,
        response: { 200: z.unknown(), ...problems },
      },
    },
    async (request) =>
      backtestRuleSet(c, requireActor(request.actor), request.params.scope, request.body),
  );

  app.get(
    '/v1/customs/release-times',
    {
      schema: {
        tags,
        summary:
          'Release times per office and lane (WCO Time Release Study): P50/P90 hours, lane shares, AEO against others',
        security,
        querystring: metricsQuerySchema,
        response: { 200: releaseTimesSchema, ...problems },
      },
    },
    async (request) =>
      customsMetrics(c, requireActor(request.actor), {
        country: request.query.country,
        from: request.query.from ? new Date(`${request.query.from}T00:00:00Z`) : undefined,
        to: request.query.to
          ? new Date(Date.parse(`${request.query.to}T00:00:00Z`) + 86_400_000)
          : undefined,
      }),
  );
}

function ruleSetJson(r: StoredRuleSet) {
  return {
    scope: r.scope,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
    rules: r.rules,
    counts: r.counts,
  };
}

/** A declaration as its viewer may see it (app/customs.ts decides who is which viewer). */
export function declarationJson(view: DeclarationView) {
  const d = view.declaration;
  const times = (s: CustomsSegment) => ({
    seq: s.seq,
    country: s.country,
    regime: s.regime,
    office: s.office,
    exitOffice: s.exitOffice,
    state: s.state,
    etaAt: iso(s.etaAt),
    arrivedAt: iso(s.arrivedAt),
    assessedAt: iso(s.assessedAt),
    releasedAt: iso(s.releasedAt),
    exitedAt: iso(s.exitedAt),
    dischargedAt: iso(s.dischargedAt),
  });
  if (view.kind === 'carrier')
    // The release status of the cargo they carry; not the goods, values or lanes.
    return {
      id: d.id,
      mrn: d.mrn,
      shipmentId: d.shipmentId,
      state: d.state,
      segments: d.segments.map((s) => ({ ...times(s), lane: null })),
      createdAt: d.createdAt.toISOString(),
      updatedAt: d.updatedAt.toISOString(),
    };
  const outcome = (s: CustomsSegment) => ({
    ...times(s),
    lane: s.lane,
    note: s.note,
    inspections: s.inspections,
    documentsCheckedAt: iso(s.documentsCheckedAt),
    meansOfTransport: d.data.itinerary?.[s.seq]?.meansOfTransport ?? null,
  });
  // Traders see lanes and outcomes, not the selectivity criteria that hit; officers see their
  // own country's decisions and what the countries before them chose to share.
  const segments =
    view.kind === 'trader'
      ? d.segments.map(outcome)
      : d.segments
          .filter((s) => s.country === view.country)
          .map((s) => ({
            ...outcome(s),
            decision: s.decision,
            lastDecision: s.lastDecision && {
              action: s.lastDecision.action,
              at: iso(s.lastDecision.at)!,
              undoUntil: iso(s.lastDecision.at + UNDO_WINDOW_MS)!,
            },
            sharedFindings: d.segments.filter((x) => x.seq < s.seq).flatMap((x) => x.shared),
          }));
  return {
    id: d.id,
    mrn: d.mrn,
    lrn: d.lrn,
    shipmentId: d.shipmentId,
    state: d.state,
    guaranteeState: d.guaranteeState,
    version: d.version,
    declaration: d.data,
    segments,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}
