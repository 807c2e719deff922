/**
 * `npm start`: the product on a machine without an Azure DevOps account. Builds (the npm script
 * does), starts the sandbox Azure DevOps, installs the companion for a private browser profile
 * with a private HOME (the user's own ~/.ssh, git config and folders are never touched), then:
 * - with a display, opens Chromium with the extension on the sandbox and waits for Ctrl-C;
 * - without one, runs the tour headless (scripts/tour/) and exits 0 only if every step worked.
 * `npm start -- --real` explains how to use the built extension with the real dev.azure.com.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandbox } from '../sandbox/index';
import { SCOPE_LABELS, TOKEN_SCOPES } from '../src/shared/ado/errors';
import { ask, installCompanion, launch, privateHome, repoRoot } from '../test/e2e/harness';
import { runTour } from './tour/run';

const REAL_HELP = `Using Azure DevOps Companion with the real dev.azure.com

1. Build it:            npm run build
2. Load the extension:  Chrome/Edge/Brave → chrome://extensions → Developer mode → Load unpacked → dist/chrome
                        Firefox → about:debugging#/runtime/this-firefox → Load Temporary Add-on → dist/firefox/manifest.json
3. Install the companion (it runs git and ssh-keygen for the extension), for every browser found:
                        dist/companion/ado-companion-linux-x64 install     (Linux x64: Node built in)
                        npx --package ./dist/ado-companion-*.tgz ado-companion install   (any system with Node 20.19+)
                        (--browser chrome|chromium|edge|brave|firefox to choose; check with: ... doctor)
4. Connect an account:  open the extension's Options →
                        • "Add with a personal access token": organization (or your Azure DevOps Server
                          collection URL) and a token with ${TOKEN_SCOPES.map((s) => SCOPE_LABELS[s]).join(', ')}; or
                        • "Sign in with Microsoft": needs an Entra app registration (client id under Advanced),
                          work or school accounts only.
5. Open any repository on dev.azure.com: "Clone to desktop" sits next to Azure DevOps' Clone button.
`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--real')) {
    console.log(REAL_HELP);
    return 0;
  }
  const headless = args.includes('--headless') || (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY);
  const work = await mkdtemp(join(tmpdir(), 'adoc-start-'));
  const sandbox = await startSandbox({ quiet: true, dataDir: join(work, 'sandbox') });
  const home = await privateHome();
  const userDataDir = join(work, 'chromium-profile');
  await mkdir(userDataDir, { recursive: true });
  installCompanion(userDataDir, home.env);
  console.log(`Sandbox Azure DevOps on port ${sandbox.port}; private HOME ${home.home}`);

  const cleanup = async () => {
    await sandbox.close();
    await home.cleanup();
    await rm(work, { recursive: true, force: true });
  };

  if (headless) {
    const shots = resolve(repoRoot, 'artifacts/tour');
    try {
      return (await runTour({ sandbox, home, userDataDir, screenshots: shots })) ? 0 : 1;
    } finally {
      await cleanup();
    }
  }

  const session = await launch(sandbox, { userDataDir, env: home.env, headless: false });
  const options = await session.openExtensionPage('options');
  await ask(options, { type: 'profiles.addPat', organization: 'fabrikam', pat: sandbox.pats.fabrikam, name: 'Ada @ fabrikam (sandbox)' });
  await ask(options, { type: 'companion.setCloneRoot', cloneRoot: join(home.home, 'src') });
  await session.open(`https://dev.azure.com/_sandbox/signin?user=ada&returnUrl=${encodeURIComponent('/fabrikam/Platform/_git/Platform')}`);
  console.log('Chromium is open on the sandbox with a profile for fabrikam. Press Ctrl-C to stop.');
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    session.browser.once('disconnected', done);
  });
  await session.close();
  await cleanup();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
