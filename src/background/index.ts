import browser from 'webextension-polyfill';
import { z } from 'zod';
import { handleMessage } from './gateway';

// zod's JIT path uses `new Function`, which extension CSPs refuse.
z.config({ jitless: true });

const deps = {
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
  version: browser.runtime.getManifest().version,
};

browser.runtime.onMessage.addListener((message, sender) => handleMessage(message, sender, deps));
