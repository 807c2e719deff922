import type { OptionsSection } from '../shared/messages';

/** Options' sections, in the side menu's order, with the names the menu and the texts call them by. */
export const SECTIONS: readonly (readonly [OptionsSection, string])[] = [
  ['profiles', 'Profiles'],
  ['accounts', 'Add an account'],
  ['companion', 'Desktop companion'],
  ['editor', 'Editor'],
  ['branch-names', 'Branch names'],
  ['ssh', 'SSH key'],
  ['groups', 'Reviewer groups'],
  ['features', 'Page features'],
  ['advanced', 'Advanced'],
];
