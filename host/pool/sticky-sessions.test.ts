import { describe, expect, it } from 'vitest';
import { StickySessions } from './sticky-sessions.js';

describe('StickySessions', () => {
  it('holds at most its capacity, evicting the least recently used pin', () => {
    const sessions = new StickySessions(3);
    sessions.set('k1', 'a');
    sessions.set('k2', 'b');
    sessions.set('k3', 'a');
    expect(sessions.get('k1')).toBe('a'); // k1 is now the most recent; k2 the oldest
    sessions.set('k4', 'b');
    expect(sessions.size).toBe(3);
    expect(sessions.get('k2')).toBeUndefined();
    expect([sessions.get('k1'), sessions.get('k3'), sessions.get('k4')]).toEqual(['a', 'a', 'b']);
    sessions.set('k3', 'b'); // re-pinning replaces, never duplicates
    expect(sessions.size).toBe(3);
    expect(sessions.get('k3')).toBe('b');
  });

  it('defaults to 10,000 pins', () => {
    const sessions = new StickySessions();
    for (let i = 0; i < 10_050; i++) sessions.set(`k${i}`, 'a');
    expect(sessions.size).toBe(10_000);
    expect(sessions.get('k49')).toBeUndefined();
    expect(sessions.get('k50')).toBe('a');
  });
});
