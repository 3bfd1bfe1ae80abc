import { describe, expect, it } from 'vitest';
import { transportDocumentsOf } from '../../src/app/customs-outbound.ts';
import type { IssuedDocument } from '../../src/app/document-ports.ts';
import { cmrNote } from '../support/transport-note.ts';

const issued = (number: string, content: object) =>
  ({ number, content }) as unknown as IssuedDocument;

describe('the consignment notes a declaration names to NCTS', () => {
  it('names a CMR as N730, a CIM/SMGS note as N720, an SMGS note as N722, nothing else', async () => {
    const current = [
      issued('CMR-1', cmrNote),
      issued('RCN-1', { ...cmrNote, kind: 'rail_consignment_note', variant: 'CIM/SMGS' }),
      issued('RCN-2', { ...cmrNote, kind: 'rail_consignment_note', variant: 'SMGS' }),
      issued('BKC-1', { kind: 'booking_confirmation' }),
    ];
    const deps = { documents: { current: () => Promise.resolve(current) } };
    expect(await transportDocumentsOf(deps, 'shp_1')).toEqual([
      { type: 'N730', reference: 'CMR-1' },
      { type: 'N720', reference: 'RCN-1' },
      { type: 'N722', reference: 'RCN-2' },
    ]);
    expect(await transportDocumentsOf(deps, null)).toEqual([]);
  });
});
