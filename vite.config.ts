import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import webExtension from 'vite-plugin-web-extension';
import { zodWithoutJsonSchemaVite } from './scripts/zod-without-json-schema.mjs';

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
    // Every browser the extension runs in preloads modules itself; the polyfill was one more file
    // each page loaded before its first frame.
    modulePreload: { polyfill: false },
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
    inlineStylesheets(),
    zodWithoutJsonSchemaVite(),
  ],
});

/**
 * Extension pages carry their stylesheets in the page. A page's module script waits for every
 * style sheet linked before it, and each linked one is another load through the browser's
 * extension loader: inlined, the popup's first frame comes ~15 ms sooner (bench/popup.ts).
 * The files stay in the build for the chunks that load later and link them themselves.
 */
function inlineStylesheets(): Plugin {
  return {
    name: 'inline-stylesheets',
    enforce: 'post',
    generateBundle(_, bundle) {
      for (const page of Object.values(bundle)) {
        if (page.type !== 'asset' || !page.fileName.endsWith('.html')) continue;
        page.source = String(page.source).replace(/<link rel="stylesheet"(?: crossorigin)? href="\/([^"]+\.css)">/g, (link, file: string) => {
          const sheet = bundle[file];
          const css = sheet?.type === 'asset' ? String(sheet.source) : undefined;
          return css === undefined || css.includes('</') ? link : `<style>${css}</style>`;
        });
      }
    },
  };
}
