/** The first arguments that make the host program the installer CLI instead of a native messaging host. */
export const CLI_VERBS = ['install', 'uninstall', 'doctor', 'help', '--help', '-h', 'version', '--version'] as const;

export const isCliVerb = (arg: string | undefined) => arg !== undefined && (CLI_VERBS as readonly string[]).includes(arg);
