import browser from 'webextension-polyfill';
import { Shell } from '../shared/ui/shell';

export function Popup() {
  return (
    <Shell title="Azure DevOps Companion">
      <section aria-labelledby="connect-heading">
        <h2 id="connect-heading">Connect an account</h2>
        <p class="muted">
          Sign in with Microsoft or add a personal access token to find, clone and create repositories from here.
        </p>
        <button class="primary" type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          Open options
        </button>
      </section>
    </Shell>
  );
}
