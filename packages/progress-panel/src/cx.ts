/** Joins class names, skipping falsy ones (a tiny `clsx` without the dependency). */
export function cx(...parts: Array<string | false | null | undefined>): string {
  return parts.filter(Boolean).join(' ');
}
