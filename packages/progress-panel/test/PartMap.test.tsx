import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makePartStates, partMap30k } from '../src/fixtures.js';
import { PartMap } from '../src/PartMap.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('PartMap', () => {
  it('summarises 30,000 parts on one canvas, not 30,000 nodes', () => {
    const { container } = render(<PartMap partStates={partMap30k} version={1} />);
    const map = screen.getByRole('img');
    expect(map.tagName).toBe('CANVAS');
    expect(map.getAttribute('aria-label')).toBe(
      'Part map: 15,200 of 30,000 parts done, 12 uploading, 3 failed',
    );
    expect(container.querySelectorAll('*').length).toBeLessThan(40);
  });

  it('lists every state in a text legend', () => {
    render(<PartMap partStates={partMap30k} version={1} />);
    const legend = screen.getByRole('list');
    expect(legend.textContent).toContain('Pending14,785');
    expect(legend.textContent).toContain('Checkpointed13,950');
    expect(legend.textContent).toContain('Failed3');
  });

  it('recounts when the version changes (states are mutated in place)', () => {
    const states = makePartStates(100, { checkpointed: 10 });
    const { rerender } = render(<PartMap partStates={states} version={1} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Part map: 10 of 100 parts done',
    );
    states.fill(3, 10, 60);
    rerender(<PartMap partStates={states} version={1} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Part map: 10 of 100 parts done',
    );
    rerender(<PartMap partStates={states} version={2} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Part map: 60 of 100 parts done',
    );
  });

  it('redraws at most once per animation frame', () => {
    const frames: FrameRequestCallback[] = [];
    vi.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => frames.push(cb));
    const states = makePartStates(1_000, { checkpointed: 10 });
    const { rerender } = render(<PartMap partStates={states} version={1} />);
    for (let v = 2; v < 50; v++) rerender(<PartMap partStates={states} version={v} />);
    expect(frames).toHaveLength(1);
    frames.shift()?.(0);
    rerender(<PartMap partStates={states} version={99} />);
    expect(frames).toHaveLength(1);
  });

  it('draws without a 2D context (happy-dom) and with no parts', () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    render(<PartMap partStates={new Uint8Array(0)} version={0} />);
    expect(screen.queryByText('No parts yet')).not.toBeNull();
  });
});
