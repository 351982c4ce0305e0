import { describe, expect, it } from 'vitest';
import { DOCUMENTED_FILE_TYPES, fileAcceptAttribute, resolveFileType } from '../src/index.js';

describe('resolveFileType', () => {
  it('derives the type from the extension when the browser gives none or a generic one', () => {
    expect(resolveFileType('data.parquet', '')).toEqual({
      ok: true,
      type: 'application/x-parquet',
    });
    expect(resolveFileType('LOG.JSONL', 'application/octet-stream')).toEqual({
      ok: true,
      type: 'application/x-ndjson',
    });
    expect(resolveFileType('rows.ndjson', '')).toEqual({ ok: true, type: 'application/x-ndjson' });
    // Windows names CSV files after Excel.
    expect(resolveFileType('table.csv', 'application/vnd.ms-excel')).toEqual({
      ok: true,
      type: 'text/csv',
    });
  });

  it('keeps an accepted browser type', () => {
    expect(resolveFileType('clip', 'video/mp4')).toEqual({ ok: true, type: 'video/mp4' });
    expect(resolveFileType('photo.JPG', 'image/jpeg')).toEqual({ ok: true, type: 'image/jpeg' });
  });

  it('refuses other types, naming what is accepted', () => {
    const gif = resolveFileType('photo.gif', 'image/gif');
    expect(gif.ok).toBe(false);
    if (!gif.ok) {
      expect(gif.reason).toContain('photo.gif');
      expect(gif.reason).toContain('image/gif');
      expect(gif.reason).toContain('application/x-parquet (.parquet)');
    }
    expect(resolveFileType('archive.bin', '').ok).toBe(false);
    expect(resolveFileType('README', '').ok).toBe(false);
    expect(resolveFileType('.parquet', '').ok).toBe(false); // a dot file, not an extension
  });

  it('follows a custom list', () => {
    const list = [{ mime: 'application/zip', extensions: ['.zip'] }];
    expect(resolveFileType('a.zip', '', list)).toEqual({ ok: true, type: 'application/zip' });
    expect(resolveFileType('a.csv', 'text/csv', list).ok).toBe(false);
  });

  it('gives the input accept value for the same list', () => {
    const accept = fileAcceptAttribute(DOCUMENTED_FILE_TYPES).split(',');
    expect(accept).toContain('.parquet');
    expect(accept).toContain('application/x-parquet');
    expect(accept).toContain('.jsonl');
    expect(accept).not.toContain('.gif');
  });
});
