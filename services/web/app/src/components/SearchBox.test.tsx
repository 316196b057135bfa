import { describe, expect, it } from 'vitest';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SearchBox } from './SearchBox';
import { mockApi, ok } from '../test/mockApi';
import { renderAt } from '../test/render';

const mugs = [
  { id: 'p1', name: 'Ceramic Coffee Mug' },
  { id: 'p2', name: 'Travel Mug' },
  { id: 'p3', name: 'Mug Warmer' },
];

function suggestCalls(m: ReturnType<typeof mockApi>) {
  return m.calls.filter((c) => c.url.startsWith('/api/search/suggest')).map((c) => new URL(c.url, 'http://x').searchParams.get('q'));
}

// typing, debounce and re-renders add up on a busy 2-core machine: more than vitest's 5 s default
describe('search box', { timeout: 20_000 }, () => {
  it('asks for suggestions once typing pauses, and lists them as options of a combobox', async () => {
    const m = mockApi({ 'GET /api/search/suggest': ok(mugs) });
    // a pause longer than the 200 ms default, so that a slow machine's keystrokes never count as one
    renderAt(<SearchBox testId="header-search" debounceMs={1_000} />, { url: '/' });
    const box = screen.getByRole('combobox', { name: 'Search products' });
    expect(box).toHaveAttribute('aria-expanded', 'false');
    await userEvent.type(box, 'mug');
    expect(suggestCalls(m)).toEqual([]); // not yet: typing has only just paused
    const options = await screen.findAllByRole('option', {}, { timeout: 5_000 });
    expect(options.map((o) => o.textContent)).toEqual(['Ceramic Coffee Mug', 'Travel Mug', 'Mug Warmer']);
    expect(box).toHaveAttribute('aria-expanded', 'true');
    expect(box).toHaveAttribute('aria-controls', screen.getByRole('listbox').id);
    // debounced: one request for what was typed, not one per keystroke
    expect(suggestCalls(m)).toEqual(['mug']);
  });

  it('does not ask for a single letter', async () => {
    const m = mockApi({ 'GET /api/search/suggest': ok(mugs) });
    renderAt(<SearchBox testId="header-search" />, { url: '/' });
    await userEvent.type(screen.getByRole('combobox'), 'm');
    await act(() => new Promise((r) => setTimeout(r, 2 * 200))); // past the debounce
    expect(suggestCalls(m)).toEqual([]);
    expect(screen.queryAllByRole('option')).toHaveLength(0);
  });

  it('moves through the suggestions with the arrow keys and opens the chosen product with Enter', async () => {
    mockApi({ 'GET /api/search/suggest': ok(mugs) });
    renderAt(<SearchBox testId="header-search" />, { url: '/' });
    const box = screen.getByRole('combobox');
    await userEvent.type(box, 'mug');
    const options = await screen.findAllByRole('option');
    expect(box).not.toHaveAttribute('aria-activedescendant');
    await userEvent.keyboard('{ArrowDown}');
    expect(box).toHaveAttribute('aria-activedescendant', options[0].id);
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}'); // wraps round to the first
    expect(box).toHaveAttribute('aria-activedescendant', options[0].id);
    await userEvent.keyboard('{ArrowUp}'); // and back round to the last
    expect(box).toHaveAttribute('aria-activedescendant', options[2].id);
    await userEvent.keyboard('{ArrowUp}');
    expect(options[1]).toHaveAttribute('aria-selected', 'true');
    expect(options[0]).toHaveAttribute('aria-selected', 'false');
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/products/p2'));
    expect(box).toHaveAttribute('aria-expanded', 'false');
  });

  it('goes to the results page with Enter when no suggestion is chosen', async () => {
    mockApi({ 'GET /api/search/suggest': ok(mugs) });
    renderAt(<SearchBox testId="header-search" />, { url: '/' });
    const box = screen.getByRole('combobox');
    await userEvent.type(box, '  coffee mug ');
    await screen.findAllByRole('option');
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/search?q=coffee%20mug'));
    expect(screen.queryByRole('listbox')).toBeNull(); // hidden: no longer in the accessibility tree
  });

  it('closes the list with Escape, then clears the box with a second Escape', async () => {
    mockApi({ 'GET /api/search/suggest': ok(mugs) });
    renderAt(<SearchBox testId="header-search" />, { url: '/' });
    const box = screen.getByRole('combobox');
    await userEvent.type(box, 'mug');
    await screen.findAllByRole('option');
    await userEvent.keyboard('{ArrowDown}{Escape}');
    expect(box).toHaveAttribute('aria-expanded', 'false');
    expect(box).not.toHaveAttribute('aria-activedescendant');
    expect(screen.queryAllByRole('option')).toHaveLength(0);
    expect(box).toHaveValue('mug');
    await userEvent.keyboard('{Escape}');
    expect(box).toHaveValue('');
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/$/); // Escape never navigates
  });

  it('opens a suggestion picked with the mouse', async () => {
    mockApi({ 'GET /api/search/suggest': ok(mugs) });
    renderAt(<SearchBox testId="header-search" />, { url: '/' });
    await userEvent.type(screen.getByRole('combobox'), 'mug');
    await userEvent.click(await screen.findByRole('option', { name: 'Mug Warmer' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/products/p3'));
  });

  it('shows the search of the results page it is on', () => {
    mockApi({ 'GET /api/search/suggest': ok([]) });
    renderAt(<SearchBox testId="header-search" />, { url: '/search?q=lamp&category=office' });
    expect(screen.getByRole('combobox')).toHaveValue('lamp');
  });
});
