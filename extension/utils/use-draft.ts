import { useState } from 'preact/hooks';

export interface Draft<T> {
  /** What the field shows: the user's edit, or the daemon's value while there is none. */
  value: T;
  set(next: T): void;
  /** The field differs from the daemon's current value (something to save). */
  dirty: boolean;
  /**
   * The daemon's value when it changed while the user was editing (another view, the CLI): the
   * edit stays, and the form says what the value became. Undefined otherwise.
   */
  theirs: T | undefined;
  /** Drops the edit: back to the daemon's value. */
  cancel(): void;
}

/** Plain data (strings, numbers, arrays of them) compared by content, not identity. */
export function sameContent(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A form field's value, started from the daemon's `value`. While the user has not edited it, the
 * field follows every new value (a pushed config, a reconnect). Once edited, the edit stays until
 * saved or cancelled, whatever the daemon pushes meanwhile; `theirs` then tells what it became.
 * `same` says when two values mean the same (by default: equal content).
 */
export function useDraft<T>(value: T, same: (a: T, b: T) => boolean = sameContent): Draft<T> {
  // `origin`: the daemon's value the edit started from.
  const [state, setState] = useState({ draft: value, origin: value });
  let { draft, origin } = state;
  if (!same(origin, value)) {
    const untouched = same(draft, origin);
    // Follow it: nothing was typed here, or what was typed is what the daemon now has (saved).
    if (untouched || same(draft, value)) {
      draft = value;
      origin = value;
      setState({ draft, origin });
    }
  }
  return {
    value: draft,
    set: (next) => setState((current) => ({ ...current, draft: next })),
    dirty: !same(draft, value),
    theirs: same(origin, value) ? undefined : value,
    cancel: () => setState({ draft: value, origin: value }),
  };
}
