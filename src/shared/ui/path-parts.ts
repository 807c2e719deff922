/**
 * A path cut after each separator (`/` and `\`), so it can wrap there instead of in the middle of
 * a folder's name: `/home/ada/src` → `/`, `home/`, `ada/`, `src`. Joined, the parts are the path.
 */
export function pathParts(path: string): string[] {
  return path.match(/[^/\\]*(?:[/\\]+|$)/g)?.filter((p) => p !== '') ?? [];
}
