import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { DocumentStore, IssuedDocument, PartySignature } from '../app/document-ports.ts';
import type { DocumentContent } from '../core/documents/consignment.ts';
import type { DocumentKind } from '../core/documents/route.ts';
import type { Tx } from './capacity.store.ts';
import type { Db } from './database.ts';
import { documents } from './document.schema.ts';

type Row = typeof documents.$inferSelect;

const META = {
  id: documents.id,
  shipmentId: documents.shipmentId,
  organisationId: documents.organisationId,
  kind: documents.kind,
  section: documents.section,
  version: documents.version,
  number: documents.number,
  title: documents.title,
  content: documents.content,
  contentHash: documents.contentHash,
  fileSha256: documents.fileSha256,
  keyId: documents.keyId,
  signature: documents.signature,
  bytes: documents.bytes,
  issuedAt: documents.issuedAt,
  issuedBy: documents.issuedBy,
  supersededAt: documents.supersededAt,
  signer: documents.signer,
};

function fromRow(r: Omit<Row, 'file'>): IssuedDocument {
  return {
    ...r,
    kind: r.kind as DocumentKind,
    content: r.content as DocumentContent,
    signer: (r.signer as PartySignature | null) ?? null,
  };
}

export class PgDocumentStore implements DocumentStore {
  constructor(private readonly db: Db) {}

  async issue(
    doc: Omit<IssuedDocument, 'version' | 'supersededAt'>,
    file: Uint8Array,
  ): Promise<IssuedDocument> {
    return this.db.transaction(async (tx: Tx) => {
      // One issuer at a time per shipment: versions follow each other without gaps or clashes.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${doc.shipmentId}))`);
      const same = and(
        eq(documents.shipmentId, doc.shipmentId),
        eq(documents.kind, doc.kind),
        eq(documents.section, doc.section),
      );
      const [last] = await tx
        .select({ version: sql<number>`coalesce(max(${documents.version}), 0)::int` })
        .from(documents)
        .where(same);
      await tx
        .update(documents)
        .set({ supersededAt: doc.issuedAt })
        .where(and(same, isNull(documents.supersededAt)));
      const version = (last?.version ?? 0) + 1;
      await tx.insert(documents).values({ ...doc, version, file });
      return { ...doc, version, supersededAt: null };
    });
  }

  async find(id: string): Promise<IssuedDocument | undefined> {
    const [row] = await this.db.select(META).from(documents).where(eq(documents.id, id));
    return row && fromRow(row);
  }

  async file(id: string): Promise<Uint8Array | undefined> {
    const [row] = await this.db
      .select({ file: documents.file })
      .from(documents)
      .where(eq(documents.id, id));
    return row && new Uint8Array(row.file.buffer, row.file.byteOffset, row.file.byteLength);
  }

  async current(shipmentId: string): Promise<IssuedDocument[]> {
    const rows = await this.db
      .select(META)
      .from(documents)
      .where(and(eq(documents.shipmentId, shipmentId), isNull(documents.supersededAt)))
      .orderBy(asc(documents.kind), asc(documents.section));
    return rows.map(fromRow);
  }
}
