import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { manyFindings } from '../../__fixtures__/signals';
import { FindingsTable, type FindingRow } from './FindingsTable';

// many keyboard steps over 45 rows: slow on a loaded machine, not a speed test
jest.setTimeout(120_000);

function rows(n: number): FindingRow[] {
  const findings = manyFindings(n).rollouts[0].canary!.findings;
  return findings.map((f, i) => ({
    ...f,
    title:
      i === 0
        ? 'A heap overflow in the TLS handshake parser lets a remote peer crash the process or run code of its choosing'
        : f.title,
    image: 'canary',
    newInCanary: false,
    key: `canary/${f.id}`,
  }));
}

const bodyIds = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[2].textContent);

describe('FindingsTable', () => {
  it('pages, filters and sorts, each by keyboard, within the width of its card', async () => {
    await renderInTestApp(
      <FindingsTable rows={rows(45)} title="Findings (45)" />,
    );
    const table = screen.getByRole('table', { name: 'Findings (45)' });
    // columns share the card's width instead of pushing it wider
    expect(table).toHaveStyle({ tableLayout: 'fixed', width: '100%' });
    // a page of 20, most severe first
    expect(bodyIds(table)).toHaveLength(20);
    expect(bodyIds(table)[0]).toBe('CVE-2026-0000');
    expect(bodyIds(table)[1]).toBe('CVE-2026-0004');

    // one button per sortable header, nothing interactive around it
    const headers = within(table).getAllByRole('columnheader');
    for (const header of headers.slice(0, 9)) {
      expect(within(header).getAllByRole('button')).toHaveLength(1);
      expect(header).not.toHaveAttribute('tabindex');
    }
    expect(headers[0]).toHaveTextContent('Layer');
    expect(headers[1]).toHaveAttribute('aria-sort', 'ascending');
    const byId = within(headers[2]).getByRole('button', { name: 'ID' });
    byId.focus();
    await userEvent.keyboard('{Enter}');
    expect(headers[2]).toHaveAttribute('aria-sort', 'ascending');
    expect(headers[1]).not.toHaveAttribute('aria-sort');
    expect(bodyIds(table).slice(0, 2)).toEqual([
      'CVE-2026-0000',
      'CVE-2026-0001',
    ]);
    await userEvent.keyboard('{Enter}');
    expect(headers[2]).toHaveAttribute('aria-sort', 'descending');
    expect(bodyIds(table)[0]).toBe('CVE-2026-0044');

    // the next page, by keyboard
    const next = screen.getByRole('button', { name: 'Next page' });
    next.focus();
    await userEvent.keyboard('{Enter}');
    expect(bodyIds(table)[0]).toBe('CVE-2026-0024');

    // filter: back to the first page of what matches
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Filter findings' }),
      'pkg-1',
    );
    expect(bodyIds(table)).toEqual(
      expect.arrayContaining(['CVE-2026-0001', 'CVE-2026-0010']),
    );
    expect(bodyIds(table)).toHaveLength(11); // pkg-1, pkg-10 … pkg-19
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Filter findings' }),
      'x',
    );
    expect(within(table).getByText(/No finding matches/)).toBeInTheDocument();
  });

  it('clamps a long title and shows it whole on hover and on demand', async () => {
    await renderInTestApp(
      <FindingsTable rows={rows(3)} title="Findings (3)" />,
    );
    const title = screen.getByText(/A heap overflow in the TLS handshake/);
    expect(title).toHaveAttribute('title', expect.stringContaining('choosing'));
    expect(title.style.webkitLineClamp).toBe('2');
    // no pager for a single page
    expect(
      screen.queryByRole('button', { name: 'Next page' }),
    ).not.toBeInTheDocument();
    const more = screen.getByRole('button', { name: 'show all' });
    expect(more).toHaveAttribute('aria-expanded', 'false');
    more.focus();
    await userEvent.keyboard('{Enter}');
    expect(screen.getByRole('button', { name: 'show less' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    expect(title.style.webkitLineClamp).toBe('');
  });
});
