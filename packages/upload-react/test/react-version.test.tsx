import { render, screen } from '@testing-library/react';
import { version } from 'react';
import { version as domVersion } from 'react-dom';
import { describe, expect, it } from 'vitest';

// Runs in the `dom` project (React 19) and in `dom-react18` (React 18): proves each project
// really loaded the React it claims, react-dom the same, and Testing Library renders with it.
describe('the React these tests run on', () => {
  const major = process.env.EXPECTED_REACT_MAJOR;

  it(`is React ${major}, with the matching react-dom`, () => {
    expect(version.split('.')[0]).toBe(major);
    expect(domVersion).toBe(version);
  });

  it('renders through Testing Library on that React', () => {
    render(<p>React {version}</p>);
    expect(screen.getByText(`React ${version}`).tagName).toBe('P');
  });
});
