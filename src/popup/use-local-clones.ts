import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import type { LocalClone } from '../shared/host-protocol';
import type { ReplyError } from '../shared/messages';
import { toReplyError } from '../shared/ui/error-note';

/** Repositories cloned on this computer, as the companion knows them; a problem when it cannot say. */
export function useLocalClones(version = 0): { clones?: LocalClone[]; problem?: ReplyError } {
  const [state, setState] = useState<{ clones?: LocalClone[]; problem?: ReplyError }>({});
  useEffect(() => {
    let live = true;
    ask({ type: 'local.clones' })
      .then((a) => live && setState({ clones: a.clones }))
      .catch((e: unknown) => live && setState({ problem: toReplyError(e) }));
    return () => {
      live = false;
    };
  }, [version]);
  return state;
}
