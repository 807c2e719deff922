/** The companion writes only below absolute folders: `/home/you/src`, `C:\src`, `\\server\share`. */
export function cloneRootProblem(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(t)) return undefined;
  return 'Enter an absolute folder, such as /home/you/src or C:\\src (not ~ or a relative path).';
}
