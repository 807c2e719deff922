/** A branch name git accepts (the rules of `git check-ref-format --branch`), or BAD_REQUEST. */
import { HostError } from './host-error';

export function checkBranchName(input: string): string {
  const name = input.startsWith('refs/heads/') ? input.slice('refs/heads/'.length) : input;
  const bad =
    name.length === 0 ||
    name.startsWith('-') ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.endsWith('.') ||
    name.endsWith('.lock') ||
    name === '@' ||
    name.includes('..') ||
    name.includes('//') ||
    name.includes('@{') ||
    name.split('/').some((part) => part.startsWith('.')) ||
    // oxlint-disable-next-line no-control-regex -- control characters are exactly what is refused
    /[\u0000-\u0020\u007f~^:?*[\\]/.test(name);
  if (bad) throw new HostError('BAD_REQUEST', `"${input}" is not a valid branch name`);
  return name;
}
