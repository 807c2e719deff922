/**
 * STAND-IN until `src/shared/companion-install.ts` (the companion's executable and npm package)
 * lands on main: the same shape and signature, so switching is one import. The UI shows `lines`
 * as the command, `download` as a link when there is one, and `explain` as its one sentence.
 */
export interface InstallInstructions {
  lines: string[];
  download?: string;
  explain: string;
}

export function installInstructions(os: string, _arch: string): InstallInstructions {
  const explain = 'It registers the companion with the browsers it finds on this computer, for your user only, and changes nothing else.';
  if (os === 'win') return { lines: ['npx --yes ado-companion install'], explain };
  return { lines: ['npx --yes ado-companion \\', '  install'], explain };
}
