import { requireAdminAccess, type Actor } from './actor.ts';
import type { OrganisationStore } from './account-ports.ts';
import type { PartyCertificate, PartyKeys, SigningParty } from './document-ports.ts';
import { AppError } from './errors.ts';

/**
 * An organisation's own document-signing certificate: the one the platform's authority issued it
 * at its first signed document, or one it uploads in its place (a national qualified certificate,
 * say) as a PKCS #12 file with its password. From the upload on, the organisation's documents are
 * signed with the uploaded key; the earlier certificate is retired, kept for verification.
 */

interface CertificateDeps {
  partyKeys: PartyKeys;
  organisations: OrganisationStore;
}

/** The organisation's current signing certificate (issued on first need); its admins only. */
export async function currentCertificate(
  deps: CertificateDeps,
  actor: Actor,
  organisationId: string,
): Promise<PartyCertificate> {
  requireAdminAccess(actor, organisationId);
  return deps.partyKeys.current(await partyOf(deps, organisationId));
}

/**
 * Takes an uploaded PKCS #12 (private key and certificate chain) as the organisation's signing
 * certificate. Refused (invalid_data, naming `body.password` or `body.pkcs12`) when the password
 * does not open it, the key has no certificate in it, the certificate is not valid now, is
 * another organisation's, or its key is already another party's.
 */
export async function uploadCertificate(
  deps: CertificateDeps,
  actor: Actor,
  organisationId: string,
  pkcs12: Uint8Array,
  password: string,
): Promise<PartyCertificate> {
  requireAdminAccess(actor, organisationId);
  const result = await deps.partyKeys.upload(await partyOf(deps, organisationId), pkcs12, password);
  if (!result.ok)
    throw new AppError('invalid_data', `the certificate is refused: ${result.problem}`, [
      { path: result.field, message: result.problem },
    ]);
  return result.certificate;
}

async function partyOf(deps: CertificateDeps, organisationId: string): Promise<SigningParty> {
  const org = await deps.organisations.find(organisationId);
  if (!org) throw new AppError('not_found', `no organisation ${organisationId}`);
  return {
    party: org.id,
    name: org.name,
    role: org.kind === 'carrier' ? 'carrier' : 'consignor',
    country: org.country,
  };
}
