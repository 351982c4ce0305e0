import type { BrowserPage } from './page.js';

/** What the recorder saw between its start and its end. */
export interface ShiftReport {
  /** Whether the `from` condition was met and measuring began. */
  started: boolean;
  /** Whether measuring ended: `until` matched, or the test stopped it. */
  ended: boolean;
  /** The `until` match that ended measuring by itself (its tag, state and text), if any. */
  endedBy: string | null;
  /**
   * Sum of the Layout Instability API's `layout-shift` entries without recent input (the
   * cumulative layout-shift score, with no session windows, so never lower than CLS). `null`
   * where the engine has no such API: Firefox and WebKit.
   */
  api: number | null;
  /** What the API said moved: the node, its old and new position (first 20). */
  apiSources: string[];
  /**
   * The same score computed in every engine from element boxes read on each animation frame:
   * per frame, the share of the viewport covered by moved boxes (old ∪ new, 8 px cells) times
   * the largest move over the viewport's larger side, summed over frames.
   */
  sampled: number;
  /** Moved elements and by how much (first 30). */
  moved: string[];
  /** Animation frames sampled. */
  frames: number;
  /** Milliseconds from the start of measuring to its end (or to now while it runs). */
  ms: number;
  /** How often the text of the `ticks` element changed while measuring (progress ticks seen). */
  ticks: number;
  /** Centre of the `aim` element in the viewport when measuring began (scrolled into view). */
  aim: { x: number; y: number } | null;
}

/** What to watch; every value is a CSS selector. */
export interface ShiftRecorderOptions {
  /** An element whose text changes on every progress tick (see {@link waitForTicks}). */
  ticks: string;
  /** Measuring begins in the same DOM update that makes this match (default: at once). */
  from?: string;
  /** Measuring ends, before that update is painted, once this matches. */
  until?: string;
  /** Where a user's pointer would come to rest when measuring begins (see `report.aim`). */
  aim?: string;
}

interface RecorderWindow {
  __shiftRecorder?: { report: ShiftReport; stop(): void };
}

/**
 * Starts measuring layout shifts in the page. The start and end conditions are checked in a
 * MutationObserver callback, which runs right after each DOM update and before it is painted,
 * so the recorder's window begins and ends exactly at the updates that match (a poll from the
 * test would be late by up to its interval).
 */
export async function startShiftRecorder(
  page: BrowserPage,
  options: ShiftRecorderOptions,
): Promise<void> {
  await page.evaluate((opts: ShiftRecorderOptions) => {
    const report: ShiftReport = {
      started: false,
      ended: false,
      endedBy: null,
      api: null,
      apiSources: [],
      sampled: 0,
      moved: [],
      frames: 0,
      ms: 0,
      ticks: 0,
      aim: null,
    };
    let t0 = 0;
    const measuring = () => report.started && !report.ended;
    const name = (el: Element | null | undefined): string => {
      if (!el) return '?';
      const label =
        el.getAttribute('aria-label') ??
        el.getAttribute('data-testid') ??
        (el.textContent ?? '').trim().slice(0, 40);
      return `${el.tagName.toLowerCase()}[${label}]`;
    };

    // Chromium: the Layout Instability API itself.
    type Shift = PerformanceEntry & {
      value: number;
      hadRecentInput: boolean;
      sources?: {
        node?: Node | null;
        previousRect: DOMRectReadOnly;
        currentRect: DOMRectReadOnly;
      }[];
    };
    if (PerformanceObserver.supportedEntryTypes?.includes('layout-shift')) {
      report.api = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as Shift[]) {
          if (!measuring() || entry.hadRecentInput) continue;
          report.api = (report.api ?? 0) + entry.value;
          for (const s of entry.sources ?? []) {
            if (report.apiSources.length >= 20) break;
            const node = s.node instanceof Element ? s.node : s.node?.parentElement;
            const { previousRect: a, currentRect: b } = s;
            report.apiSources.push(`${name(node)} ${a.x},${a.y} → ${b.x},${b.y}`);
          }
        }
      }).observe({ type: 'layout-shift' });
    }

    // Every engine: element boxes, frame by frame.
    const CELL = 8;
    type Box = { x: number; y: number; w: number; h: number };
    let previous = new Map<Element, Box>();
    const sample = () => {
      report.frames += 1;
      report.ms = Math.round(performance.now() - t0);
      // Running animations and transitions (spinners, stripes, bar widths) move boxes on
      // purpose; the Layout Instability API ignores them too.
      const animated = document
        .getAnimations()
        .map((a) => (a.effect as KeyframeEffect | null)?.target)
        .filter((t): t is Element => t instanceof Element);
      const vw = innerWidth;
      const vh = innerHeight;
      const cols = Math.ceil(vw / CELL);
      const rows = Math.ceil(vh / CELL);
      let cells: Uint8Array | null = null;
      let distance = 0;
      const current = new Map<Element, Box>();
      for (const el of document.body.querySelectorAll('*')) {
        if (animated.some((a) => a === el || a.contains(el))) continue;
        const r = el.getBoundingClientRect();
        // An empty box cannot be seen moving (an empty list that fills up is new content).
        if (r.width === 0 || r.height === 0) continue;
        const box = { x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height };
        current.set(el, box);
        const old = previous.get(el);
        if (!old) continue;
        const dx = box.x - old.x;
        const dy = box.y - old.y;
        if (Math.abs(dx) < 1 && Math.abs(dy) < 1) continue;
        let visible = false;
        for (const b of [old, box]) {
          const left = Math.max(0, Math.floor((b.x - scrollX) / CELL));
          const right = Math.min(cols, Math.ceil((b.x - scrollX + b.w) / CELL));
          const top = Math.max(0, Math.floor((b.y - scrollY) / CELL));
          const bottom = Math.min(rows, Math.ceil((b.y - scrollY + b.h) / CELL));
          if (right <= left || bottom <= top) continue;
          visible = true;
          cells ??= new Uint8Array(cols * rows);
          for (let row = top; row < bottom; row++) {
            cells.fill(1, row * cols + left, row * cols + right);
          }
        }
        if (!visible) continue;
        distance = Math.max(distance, Math.abs(dx), Math.abs(dy));
        if (report.moved.length < 30) {
          report.moved.push(`${name(el)} by ${Math.round(dx)},${Math.round(dy)}`);
        }
      }
      if (cells) {
        const covered = cells.reduce((n, c) => n + c, 0) / (cols * rows);
        report.sampled += covered * (distance / Math.max(vw, vh));
      }
      previous = current;
    };

    let lastText: string | null = null;
    const check = () => {
      if (report.ended) return;
      if (!report.started && (!opts.from || document.querySelector(opts.from))) {
        report.started = true;
        t0 = performance.now();
        const target = opts.aim ? document.querySelector(opts.aim) : null;
        if (target) {
          // An instant scroll is no layout shift; the baseline below is taken after it.
          target.scrollIntoView({ block: 'center', inline: 'nearest' });
          const r = target.getBoundingClientRect();
          report.aim = { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };
        }
        lastText = document.querySelector(opts.ticks)?.textContent ?? null;
        sample();
        requestAnimationFrame(frame);
        return;
      }
      const end = report.started && opts.until ? document.querySelector(opts.until) : null;
      if (end) {
        report.ended = true;
        report.ms = Math.round(performance.now() - t0);
        report.endedBy = `${name(end)} ${end.getAttribute('data-state') ?? ''}`;
        return;
      }
      // Ticks are counted here, not per frame: an engine drawing few frames (WebKit under
      // Xvfb) would otherwise miss text changes between two of them.
      const text = document.querySelector(opts.ticks)?.textContent ?? null;
      if (report.started && lastText !== null && text !== lastText) report.ticks += 1;
      lastText = text;
    };
    const frame = () => {
      if (!measuring()) return;
      sample();
      requestAnimationFrame(frame);
    };
    new MutationObserver(check).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
    check();
    (window as RecorderWindow).__shiftRecorder = {
      report,
      stop: () => {
        if (!report.ended) report.ms = Math.round(performance.now() - t0);
        report.ended = true;
      },
    };
  }, options);
}

/** The report so far, without stopping. */
export function readShiftRecorder(page: BrowserPage): Promise<ShiftReport> {
  return page.evaluate(() => {
    const r = (window as RecorderWindow).__shiftRecorder;
    if (!r) throw new Error('no shift recorder in this page');
    return r.report;
  });
}

/** Stops recording (before the test itself clicks or changes state) and returns the report. */
export function stopShiftRecorder(page: BrowserPage): Promise<ShiftReport> {
  return page.evaluate(() => {
    const r = (window as RecorderWindow).__shiftRecorder;
    if (!r) throw new Error('no shift recorder in this page');
    r.stop();
    return r.report;
  });
}

/**
 * Resolves once the recorder has counted `ticks` changes of its `ticks` text while measuring.
 * Fails early when measuring ended by itself (its `until` matched) before that.
 */
export async function waitForTicks(
  page: BrowserPage,
  ticks: number,
  timeout: number,
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const report = await readShiftRecorder(page);
    if (report.ticks >= ticks) return;
    if (report.ended || Date.now() > deadline) {
      throw new Error(
        `${page.engine}: ${report.ticks} progress ticks (wanted ${ticks}) before ` +
          (report.endedBy ? `measuring ended at ${report.endedBy}` : `${timeout} ms passed`),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
