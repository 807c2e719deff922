import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { installInstructions, type InstallInstructions } from '../companion-install-standin';
import { copyText } from './clipboard';

/**
 * How to install the companion on this computer: the one command (or download) for the browser's
 * operating system, on several lines, with a Copy button and one sentence of what it does.
 */
export function InstallSteps(props: { update?: boolean; main?: boolean }) {
  const [steps, setSteps] = useState<InstallInstructions>();
  const [copied, setCopied] = useState<boolean>();
  useEffect(() => {
    browser.runtime
      .getPlatformInfo()
      .then((p) => setSteps(installInstructions(p.os, p.arch)))
      .catch(() => setSteps(installInstructions('linux', 'x86-64')));
  }, []);
  if (!steps) return null;
  const command = steps.lines.join('\n');
  return (
    <div class="install-steps" data-testid="install-steps">
      {steps.download && (
        <p>
          <a class="button" href={steps.download} download>
            Download the companion
          </a>
        </p>
      )}
      <p>{props.update ? 'Update it by running this in a terminal:' : steps.download ? 'Then run this in a terminal:' : 'Run this in a terminal:'}</p>
      <pre class="command">
        <code>{command}</code>
      </pre>
      <p class="small muted">{steps.explain}</p>
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
    </div>
  );
}
