/**
 * Where people get the project's parts, in one place for every page that points there (today the
 * Azure DevOps extension's dialog). The stores do not list the browser extension yet, so the
 * links go to the project's releases (the store zips, the companion's executables) and its README
 * (how to install each); package.json's `homepage` and `repository` name the same project (a unit
 * test keeps them equal). When a store listing exists, its URL joins here.
 */
export const PROJECT_URL = 'https://github.com/adocompanion/azure-devops-companion';

/** The latest release: the browser extension's zips and the companion for each system. */
export const RELEASES_URL = `${PROJECT_URL}/releases/latest`;

/** README's install steps for the browser extension and the companion. */
export const INSTALL_GUIDE_URL = `${PROJECT_URL}#using-it-with-your-azure-devops`;

/** `vscode://vscode.git/clone?url=…` opens VS Code's own clone for the URL. */
export const vscodeCloneLink = (url: string) => `vscode://vscode.git/clone?url=${encodeURIComponent(url)}`;
