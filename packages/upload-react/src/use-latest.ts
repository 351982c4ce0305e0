import { useLayoutEffect, useRef } from 'react';

/**
 * A ref that always holds the value of the last committed render.
 *
 * Long-lived objects (an upload controller lives for the whole component) call back
 * into props long after the render that created them; reading props through this ref
 * gives them the current callbacks without recreating the object. Updated in a layout
 * effect rather than during render, so an abandoned concurrent render never leaks in.
 *
 * @internal
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
