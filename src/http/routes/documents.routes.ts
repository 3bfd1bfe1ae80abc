import { errorCodes } from 'fastify';
import { z } from 'zod';
import { problemSchema } from '../../api/common.ts';
import {
  documentListSchema,
  documentParams,
  documentSchema,
  issueDocumentSchema,
  shipmentDocumentsParams,
  signingKeysSchema,
  verificationSchema,
} from '../../api/documents.ts';
import { requireActor } from '../../app/actor.ts';
import {
  documentFile,
  getDocument,
  issueDocument,
  shipmentDocuments,
  signingKeys,
  verifyDocument,
  verifyUrlOf,
  type Verification,
} from '../../app/documents.ts';
import type { IssuedDocument } from '../../app/document-ports.ts';
import { structuredDocument } from '../../app/structured-documents.ts';
import type { App, HttpDeps } from '../context.ts';
import { problems, security } from '../route-docs.ts';

/** Largest PDF accepted for verification. */
const MAX_PDF_BYTES = 20 * 1024 * 1024;

function documentJson(deps: HttpDeps, d: IssuedDocument): z.input<typeof documentSchema> {
  return {
    id: d.id,
    kind: d.kind,
    section: d.section,
    version: d.version,
    number: d.number,
    title: d.title,
    shipmentId: d.shipmentId,
    issuedAt: d.issuedAt.toISOString(),
    contentHash: d.contentHash,
    fileSha256: d.fileSha256,
    keyId: d.keyId,
    bytes: d.bytes,
    supersededAt: d.supersededAt?.toISOString() ?? null,
    pdf: `/v1/documents/${d.id}.pdf`,
    verify: verifyUrlOf(deps.documents, d.id),
  };
}

function verificationJson(v: Verification): z.input<typeof verificationSchema> {
  const d = v.document;
  return {
    documentId: v.documentId,
    authentic: v.authentic,
    unchanged: v.unchanged,
    current: v.current,
    problems: v.problems,
    kind: d?.kind ?? null,
    title: d?.title ?? null,
    number: d?.number ?? null,
    issuedAt: d?.issuedAt.toISOString() ?? null,
    contentHash: d?.contentHash ?? null,
    fileSha256: d?.fileSha256 ?? null,
    keyId: d?.keyId ?? null,
  };
}

const pdfFile = (file: Uint8Array) => Buffer.from(file.buffer, file.byteOffset, file.byteLength);

/** Documents of shipments: for signed-in callers. */
export function documentRoutes(app: App, deps: HttpDeps): void {
  const writeLimit = { rateLimit: { max: deps.rateLimits.writePerMinute, timeWindow: 60_000 } };
  const tags = ['documents'];
  const d = deps.documents;

  app.get(
    '/v1/shipments/:shipmentId/documents',
    {
      schema: {
        tags,
        summary:
          "The documents the shipment's route needs: issued (current version), missing, or not ready yet and why",
        security,
        params: shipmentDocumentsParams,
        response: { 200: documentListSchema, ...problems },
      },
    },
    async (request) => {
      const list = await shipmentDocuments(
        d,
        requireActor(request.actor),
        request.params.shipmentId,
      );
      return {
        ...list,
        documents: list.documents.map((e) => ({
          ...e,
          document: e.document && documentJson(deps, e.document),
        })),
      };
    },
  );

  app.post(
    '/v1/shipments/:shipmentId/documents',
    {
      config: writeLimit,
      schema: {
        tags,
        summary:
          'Issue a document of the shipment: drawn from its data, signed, sealed; 200 with the current one when nothing changed',
        description:
          "Only the shipment's organisation issues. Consignor, consignee, goods and seals come from the shipment's customs declaration unless `particulars` give them; wagons, declarations and payers only the consignor can give. A transit accompanying document needs a lodged declaration and a booking confirmation a confirmed booking (409 otherwise).",
        security,
        params: shipmentDocumentsParams,
        body: issueDocumentSchema,
        response: { 200: documentSchema, 201: documentSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { document, created } = await issueDocument(
        d,
        requireActor(request.actor),
        request.params.shipmentId,
        request.body,
      );
      void reply.code(created ? 201 : 200);
      return documentJson(deps, document);
    },
  );

  app.get(
    '/v1/documents/:documentId',
    {
      schema: {
        tags,
        summary: "A document's record",
        security,
        params: documentParams,
        response: { 200: documentSchema, ...problems },
      },
    },
    async (request) =>
      documentJson(
        deps,
        await getDocument(d, requireActor(request.actor), request.params.documentId),
      ),
  );

  app.get(
    '/v1/documents/:documentId.pdf',
    {
      schema: {
        tags,
        summary: 'The sealed PDF',
        description:
          'A4 PDF; the seal line after its end carries the Ed25519 signature over the SHA-256 of every byte before it.',
        security,
        params: documentParams,
        response: { 200: z.any().meta({ description: 'application/pdf' }), ...problems },
      },
    },
    async (request, reply) => {
      const { document, file } = await documentFile(
        d,
        requireActor(request.actor),
        request.params.documentId,
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${document.number}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdfFile(file));
    },
  );

  app.get(
    '/v1/documents/:documentId.xml',
    {
      schema: {
        tags,
        summary: 'A consignment note as structured data: e-CMR XML, or the e-CIM/SMGS data set',
        description:
          'UN/CEFACT cross-border consignment note XML drawn from the content the PDF was (docs/documents-structured.md). Consignment notes only.',
        security,
        params: documentParams,
        response: { 200: z.any().meta({ description: 'application/xml' }), ...problems },
      },
    },
    async (request, reply) => {
      const { document, xml } = await structuredDocument(
        d,
        requireActor(request.actor),
        request.params.documentId,
      );
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `inline; filename="${document.number}.xml"`)
        .header('cache-control', 'private, no-store')
        .send(xml);
    },
  );
}

/** Verification and the public keys: for anyone, as the QR code on a paper leads there. */
export function documentPublicRoutes(app: App, deps: HttpDeps): void {
  const tags = ['documents'];
  const d = deps.documents;
  const publicProblems = {
    400: problemSchema,
    413: problemSchema,
    415: problemSchema,
    429: problemSchema,
  };
  const verifyLimit = { rateLimit: { max: 120, timeWindow: 60_000 } };

  app.get(
    '/v1/documents/keys',
    {
      schema: {
        tags,
        summary: "The platform's Ed25519 public keys, to verify documents offline",
        response: { 200: signingKeysSchema },
      },
    },
    async () => ({
      keys: (await signingKeys(d)).map((k) => ({
        keyId: k.keyId,
        algorithm: 'Ed25519' as const,
        publicKeyPem: k.publicKeyPem,
        createdAt: k.createdAt.toISOString(),
      })),
    }),
  );

  app.get(
    '/v1/documents/:documentId/verify',
    {
      config: verifyLimit,
      schema: {
        tags,
        summary:
          'Whether a document was issued by this platform, unaltered and current: where the QR code on every page leads',
        params: documentParams,
        response: { 200: verificationSchema, ...publicProblems },
      },
    },
    async (request) => verificationJson(await verifyDocument(d, request.params.documentId)),
  );

  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/pdf',
      { parseAs: 'buffer', bodyLimit: MAX_PDF_BYTES },
      (_r, body, done) => {
        done(null, body);
      },
    );
    scope.withTypeProvider().post(
      '/v1/documents/verify',
      {
        config: verifyLimit,
        bodyLimit: MAX_PDF_BYTES,
        schema: {
          tags,
          summary:
            'Check a PDF file (Content-Type: application/pdf): sealed by this platform, and byte for byte as issued',
          response: { 200: verificationSchema, ...publicProblems },
        },
      },
      async (request) => {
        // A JSON body reaches here through the app's JSON parser: only a PDF is checked.
        if (!Buffer.isBuffer(request.body))
          throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(
            String(request.headers['content-type'] ?? ''),
          );
        return verificationJson(await verifyDocument(d, null, new Uint8Array(request.body)));
      },
    );
  });
}
