import { useRef, useState } from 'preact/hooks';

/**
 * A form field's value, started from the daemon's `value`. When a new `value` arrives (a reconnect
 * reloads the config, another view saved), the field follows it only if the user has not edited
 * it: a refresh never wipes what someone is typing.
 */
export function useDraft<T>(value: T): [T, (next: T) => void] {
  const [draft, setDraft] = useState(value);
  const base = useRef(value);
  if (!Object.is(base.current, value)) {
    const untouched = Object.is(draft, base.current);
    base.current = value;
    if (untouched && !Object.is(draft, value)) {
      setDraft(value);
      return [value, setDraft];
    }
  }
  return [draft, setDraft];
}
