import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { companionOs, installInstructions, type InstallInstructions } from '../companion-install';
import { RELEASES_URL } from '../project-links';
import { copyText } from './clipboard';

/**
 * How to install the companion on this computer: the download and the commands for the browser's
 * operating system, on several lines, with a Copy button and one sentence of what they do; the npm
 * way for people with Node.
 */
export function InstallSteps(props: { update?: boolean; main?: boolean }) {
  const [steps, setSteps] = useState<InstallInstructions>();
  const [copied, setCopied] = useState<boolean>();
  useEffect(() => {
    browser.runtime
      .getPlatformInfo()
      .then((p) => setSteps(installInstructions(companionOs(p.os), p.arch, browser.runtime.id)))
      .catch(() => setSteps(installInstructions('linux', 'x86-64', browser.runtime.id)));
  }, []);
  if (!steps) return null;
  const command = steps.commands.join('\n');
  return (
    <div class="install-steps" data-testid="install-steps">
      <p>
        {steps.download && (
          <>
            Download <code>{steps.download}</code> from the companion’s{' '}
            <a href={RELEASES_URL} target="_blank" rel="noreferrer">
              release page
            </a>{' '}
            into your Downloads folder, then{' '}
          </>
        )}
        {props.update ? 'update it by running this in a terminal:' : steps.download ? 'run this in a terminal:' : 'Run this in a terminal:'}
      </p>
      <pre class="command">
        <code>{command}</code>
      </pre>
      <p class="small muted">{steps.explanation}</p>
      <div class="actions">
        <button
          type="button"
          class="small"
          data-main={props.main ? true : undefined}
          onClick={() =>
            void copyText(command).then((ok) => {
              setCopied(ok);
              setTimeout(() => setCopied(undefined), 2000);
            })
          }
        >
          {copied ? 'Copied' : 'Copy the command'}
        </button>
        <span class="small muted" role="status">
          {copied === false ? 'The browser refused to copy: select the command and copy it.' : ''}
        </span>
      </div>
      {steps.download && (
        <p class="small muted">
          With Node 20.19 or newer, instead: <code>{steps.npx.join(' && ')}</code>
        </p>
      )}
    </div>
  );
}
