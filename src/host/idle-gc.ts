/**
 * A young-generation collection run while nothing waits on the host.
 *
 * V8 collects its young generation when it is full, wherever the host then is; in a fresh host
 * that was, in a quarter to three quarters of benchmark clones, while git ran (one scavenge of
 * 4–12 ms on the host's thread, against git and the server on a two-core machine). Emptying it
 * when the host starts serving and whenever it turns idle leaves a clone's few hundred KB room.
 * Chrome does the same in its idle time; Node has no idle-time collection. V8's `gc` is reached
 * through a context made while `--expose-gc` is set, and only there: the host's own global has
 * no `gc`.
 */
type Collect = (options: { type: 'minor' }) => void;

let collect: Collect | null | undefined;

export function collectYoungGeneration(): void {
  if (collect === undefined) collect = findCollect();
  collect?.({ type: 'minor' });
}

function findCollect(): Collect | null {
  // Loaded here, not imported: at the bundle's top they would load before `hello` is answered.
  const v8 = process.getBuiltinModule('node:v8');
  try {
    v8.setFlagsFromString('--expose-gc');
    const found: unknown = process.getBuiltinModule('node:vm').runInNewContext('gc');
    return typeof found === 'function' ? (found as Collect) : null;
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}
