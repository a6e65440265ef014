import { useEffect, useState } from 'preact/hooks';
import type { WxtStorageItem } from '#imports';

/**
 * The current value of a storage item, kept live with `watch` and unsubscribed on unmount.
 * `undefined` until the first read resolves.
 */
export function useStoredValue<T>(item: WxtStorageItem<T, Record<string, unknown>>): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void item.getValue().then((stored) => {
      if (live) setValue(stored);
    });
    const unwatch = item.watch((next) => {
      if (live) setValue(next);
    });
    return () => {
      live = false;
      unwatch();
    };
  }, [item]);
  return value;
}
