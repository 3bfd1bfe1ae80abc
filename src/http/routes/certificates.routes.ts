import type { z } from 'zod';
import { orgParams } from '../../api/accounts.ts';
import { certificateSchema, certificateUploadSchema } from '../../api/documents.ts';
import { requireActor } from '../../app/actor.ts';
import type { PartyCertificate } from '../../app/document-ports.ts';
import { currentCertificate, uploadCertificate } from '../../app/party-certificates.ts';
import type { App, HttpDeps } from '../context.ts';
import { problems, security } from '../route-docs.ts';

function certificateJson(c: PartyCertificate): z.input<typeof certificateSchema> {
  return {
    fingerprint: c.fingerprint,
    commonName: c.commonName,
    organization: c.organization,
    issuer: c.issuer,
    source: c.source,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    chainPem: c.chainPem,
  };
}

/** An organisation's own document-signing certificate (PAdES), for its admins. */
export function certificateRoutes(app: App, deps: HttpDeps): void {
  const tags = ['documents'];
  app.get(
    '/v1/organisations/:orgId/signing-certificate',
    {
      schema: {
        tags,
        summary:
          "The organisation's current document-signing certificate (organisation admins); issued by the platform's authority on first need",
        security,
        params: orgParams,
        response: { 200: certificateSchema, ...problems },
      },
    },
    async (request) =>
      certificateJson(
        await currentCertificate(deps.documents, requireActor(request.actor), request.params.orgId),
      ),
  );

  app.put(
    '/v1/organisations/:orgId/signing-certificate',
    {
      schema: {
        tags,
        summary:
          "Upload the organisation's own signing certificate as PKCS #12 with its password (organisation admins)",
        description:
          "The key and the certificate chain (e.g. a national qualified certificate) sign the organisation's documents from now on; the certificate must be valid now and issued to the organisation. The earlier certificate is kept for verification.",
        security,
        params: orgParams,
        body: certificateUploadSchema,
        response: { 200: certificateSchema, ...problems },
      },
    },
    async (request) =>
      certificateJson(
        await uploadCertificate(
          deps.documents,
          requireActor(request.actor),
          request.params.orgId,
          new Uint8Array(Buffer.from(request.body.pkcs12, 'base64')),
          request.body.password,
        ),
      ),
  );
}
