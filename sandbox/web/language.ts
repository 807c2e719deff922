/**
 * The pages in another UI language, so a feature that finds its place by English text is caught:
 * `/_sandbox/lang?lang=de` (a cookie, like theme and markup) translates the visible texts and
 * labels of the Azure DevOps parts the features sit next to. Class names and structure stay.
 */
export type Language = 'en' | 'de';

export const LANGUAGES: readonly Language[] = ['en', 'de'];
export const LANGUAGE_COOKIE = 'sandbox-lang';

export function isLanguage(v: string | undefined | null): v is Language {
  return !!v && (LANGUAGES as readonly string[]).includes(v);
}

/** Texts as they stand between tags or in an attribute; longest first where one contains another. */
const GERMAN: [string, string][] = [
  ['Clone Repository', 'Repository klonen'],
  ['Clone in VS Code', 'In VS Code klonen'],
  ['Clone to your computer', 'Auf Ihren Computer klonen'],
  ['Clone', 'Klonen'],
  ['Set up build', 'Build einrichten'],
  ['New branch', 'Neuer Branch'],
  ['New pull request', 'Neuer Pull Request'],
  ['More actions', 'Weitere Aktionen'],
  ['Download as Zip', 'Als ZIP herunterladen'],
  ['Fork', 'Forken'],
  ['Contents', 'Inhalte'],
  ['History', 'Verlauf'],
  ['Reviewers', 'Prüfer'],
  ['Required', 'Erforderlich'],
  ['Approve', 'Genehmigen'],
  ['Set auto-complete', 'Automatisch abschließen'],
  ['Push an existing repository from command line', 'Vorhandenes Repository über die Befehlszeile pushen'],
  ['Import a repository', 'Repository importieren'],
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function localize(text: string, lang: Language): string {
  if (lang === 'en') return text;
  let out = text.replace(/<html lang="en"/, `<html lang="${lang}"`).replace(/ is empty\. Add some code!/g, ' ist leer. Fügen Sie Code hinzu!');
  for (const [en, de] of GERMAN) {
    const e = escapeRe(en);
    out = out.replace(new RegExp(`>(\\s*)${e}(\\s*)<`, 'g'), `>$1${de}$2<`).replace(new RegExp(`(aria-label|data-sandbox-entries)="([^"]*\\b)?${e}\\b`, 'g'), (_m, attr: string, before = '') => `${attr}="${before}${de}`);
  }
  return out;
}
