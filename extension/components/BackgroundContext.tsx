import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { BackgroundClient } from '../utils/background-client';

export const BackgroundContext = createContext<BackgroundClient | null>(null);

export function useBackground(): BackgroundClient {
  const client = useContext(BackgroundContext);
  if (!client) throw new Error('useBackground() outside <BackgroundContext.Provider>');
  return client;
}
