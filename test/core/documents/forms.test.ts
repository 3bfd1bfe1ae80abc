import { describe, expect, it } from 'vitest';
import type { TransportNote } from '../../../src/core/documents/consignment.ts';
import { layoutOf } from '../../../src/core/documents/forms.ts';
import type { DocumentLayout, Label } from '../../../src/core/documents/layout.ts';
import { cmrNote } from '../../support/transport-note.ts';

/** Every label of a layout: title, block titles, columns and fields. */
function labels(layout: DocumentLayout): Label[] {
  return [
    layout.title,
    ...layout.blocks.flatMap((b) =>
      b.type === 'page_break'
        ? []
        : b.type === 'table'
          ? [b.title, ...b.columns.map((c) => c.label)]
          : b.type === 'fields'
            ? [b.title, ...b.fields.map((f) => f.label)]
            : [b.title],
    ),
  ];
}

const rail = (variant: TransportNote['variant']): TransportNote => ({
  ...cmrNote,
  kind: 'rail_consignment_note',
  variant,
});
const issue = { number: 'RCN-1', issuedAt: 0 };

describe('the SMGS forms in Chinese and Russian', () => {
  it.each(['SMGS', 'CIM/SMGS'] as const)(
    'labels every box of a %s note in Chinese too',
    (variant) => {
      const layout = layoutOf(rail(variant), issue);
      const missing = labels(layout).filter((l) => !l.zh);
      expect(missing).toEqual([]);
      expect(layout.title.zh).toBe(variant === 'SMGS' ? '国际货协运单' : '国际货约/国际货协运单');
      const consignor = labels(layout).find((l) => l.en === 'Consignor')!;
      expect(consignor).toEqual({ en: 'Consignor', ru: 'Отправитель', zh: '发货人' });
    },
  );

  it('keeps a CIM note and a CMR in English and Russian only', () => {
    for (const content of [rail('CIM'), cmrNote])
      expect(labels(layoutOf(content, issue)).filter((l) => l.zh)).toEqual([]);
  });
});
