import { createHash } from 'node:crypto';
import type { PdfSignatureCheck, PdfSignatureChecker } from '../../app/document-ports.ts';
import { byteRangeOf, withoutGap } from '../../core/documents/signature-range.ts';
import { checkCadesDetached } from './cms.ts';
import { OID } from './der.ts';
import { cmsOf } from './pades.ts';
import { fingerprintOf, subjectAttribute } from './x509.ts';

/**
 * Checks a PDF's last PAdES signature with the certificates it carries alone (no database, so
 * offline too): the byte range covers the whole file but the signature, the CMS signature is
 * over those bytes and made by its signer certificate. Whose certificate it is, the caller
 * checks (against the document's record or its seal).
 */
export const pdfSignatureChecker: PdfSignatureChecker = {
  check(file: Uint8Array): PdfSignatureCheck {
    const none = (problem: string, whole = false): PdfSignatureCheck => ({
      valid: false,
      whole,
      signer: null,
      chain: [],
      problem,
    });
    const gap = byteRangeOf(file);
    if (!gap.ok) return none(gap.problem);
    let cms: Buffer;
    try {
      cms = cmsOf(file, gap);
    } catch {
      return none('the PDF signature is damaged', true);
    }
    const digest = createHash('sha256').update(withoutGap(file, gap)).digest();
    const r = checkCadesDetached(cms, digest);
    const signer = r.signer && {
      fingerprint: fingerprintOf(r.signer),
      commonName: subjectAttribute(r.signer, OID.commonName) ?? r.signer.subject,
      organization: subjectAttribute(r.signer, OID.organization) ?? null,
    };
    return {
      valid: r.valid,
      whole: true,
      signer: signer ?? null,
      chain: r.certificates.filter((c) => c !== r.signer).map(fingerprintOf),
      problem: r.problem,
    };
  },
};
