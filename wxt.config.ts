import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { EXTENSION_PUBLIC_KEY } from './shared/extension-identity';

// See ../shared/docs/style-anchors.md §4: everything lives under extension/, imports are explicit.
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  imports: false,
  vite: () => ({ plugins: [preact()] }),
  manifest: {
    name: 'Localgate',
    description: 'Control your local AI API gateway from the toolbar.',
    key: EXTENSION_PUBLIC_KEY,
    permissions: ['nativeMessaging', 'storage'],
  },
});
