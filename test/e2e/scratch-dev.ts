// TEMP scratch (deleted before finishing)
import { startSandbox } from '../../sandbox/index';
import { launch } from './harness';

const sandbox = await startSandbox({ quiet: true });
const session = await launch(sandbox);
const ext = await session.browser.newPage();
await ext.goto('chrome://extensions/');
const r = await ext.evaluate(async (id) => {
  const dp = (chrome as any).developerPrivate;
  if (!dp) return 'no developerPrivate';
  try {
    await dp.addHostPermission(id, 'https://tfs.fabrikam.test/*');
    return 'ok';
  } catch (e) {
    return 'err ' + (e as Error).message;
  }
}, session.extensionId);
console.log(r);
const w = await session.worker();
console.log(await w.evaluate(() => chrome.permissions.getAll()));
await session.close();
await sandbox.close();
