/**
 * The first steps a new user takes, named once: the options page's welcome and the popup without
 * an account show the same three, and a user who sees one then the other must recognise them.
 */
export const WELCOME_STEPS = {
  connect: '1. Connect to Azure DevOps',
  companion: '2. Install the desktop companion',
  clone: '3. Clone your first repository',
} as const;

export type WelcomeStep = keyof typeof WELCOME_STEPS;
