import { structuredNoteXml } from '../core/documents/structured.ts';
import type { Actor } from './actor.ts';
import { getDocument, type DocumentDeps } from './documents.ts';
import type { IssuedDocument } from './document-ports.ts';
import { AppError } from './errors.ts';

/**
 * A consignment note's structured form beside its PDF: a CMR as UN/CEFACT e-CMR XML, a rail
 * note as the e-CIM/SMGS data set (core/documents/structured.ts), drawn from the same content
 * the PDF was, for whoever may see the document. Other documents have none (not_found).
 */
export async function structuredDocument(
  deps: DocumentDeps,
  actor: Actor,
  id: string,
): Promise<{ document: IssuedDocument; xml: string }> {
  const document = await getDocument(deps, actor, id);
  const content = document.content;
  if (content.kind !== 'cmr' && content.kind !== 'rail_consignment_note')
    throw new AppError(
      'not_found',
      `a ${document.title} has no structured form; consignment notes (CMR, CIM/SMGS) have`,
    );
  return {
    document,
    xml: structuredNoteXml(content, {
      documentId: document.id,
      number: document.number,
      version: document.version,
      issuedAt: document.issuedAt,
      signedBy: document.signer?.name ?? null,
    }),
  };
}
