import { describe, expect, it } from 'vitest';
import { outcomeText, outcomeTone } from '../src/components/bulk-outcome';

const names: Record<string, string> = { a: 'ada', b: 'bob', c: 'cy', d: 'dee' };
const nameOf = (id: string) => names[id] ?? id;

describe('outcomeText', () => {
  it('names the people a bulk action changed', () => {
    expect(outcomeText('Approved', [{ id: 'a', ok: true, status: 'active' }], nameOf)).toBe('Approved ada.');
    expect(
      outcomeText(
        'Approved',
        [
          { id: 'a', ok: true, status: 'active' },
          { id: 'b', ok: true, status: 'active' },
        ],
        nameOf,
      ),
    ).toBe('Approved ada and bob.');
    expect(
      outcomeText(
        'Rejected',
        ['a', 'b', 'c'].map((id) => ({ id, ok: true as const, status: 'rejected' as const })),
        nameOf,
      ),
    ).toBe('Rejected ada and 2 others.');
  });

  it('says what was left as it was, and why', () => {
    expect(
      outcomeText(
        'Approved',
        [
          { id: 'a', ok: true, status: 'active' },
          { id: 'd', ok: false, code: 'CONFLICT', message: 'dee is active, not pending.' },
        ],
        nameOf,
      ),
    ).toBe('Approved ada. 1 not changed: dee is active, not pending.');
  });
});

describe('outcomeTone', () => {
  it('is ok when all changed, warn when some did, danger when none did', () => {
    const ok = { id: 'a', ok: true as const };
    const no = { id: 'b', ok: false as const, message: 'x' };
    expect(outcomeTone([ok, ok])).toBe('ok');
    expect(outcomeTone([ok, no])).toBe('warn');
    expect(outcomeTone([no])).toBe('danger');
  });
});
