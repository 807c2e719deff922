import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import webExtension from 'vite-plugin-web-extension';

// One source manifest, two builds: TARGET_BROWSER picks the {{chrome}}. or {{firefox}}. keys.
const browser = process.env.TARGET_BROWSER === 'firefox' ? 'firefox' : 'chrome';
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: `dist/${browser}`,
    emptyOutDir: true,
    sourcemap: false,
    minify: true,
    target: 'es2022',
  },
  plugins: [
    webExtension({
      browser,
      manifest: () => ({ ...JSON.parse(readFileSync('manifest.json', 'utf8')), version: pkg.version }),
      // Its schema check fetches from the network, which builds must not need.
      skipManifestValidation: true,
      disableAutoLaunch: true,
      printSummary: false,
      // The injected features' own code, which the background runs in a page on first use (src/content/lazy.ts).
      additionalInputs: ['src/content/panels.ts'],
    }),
  ],
});
