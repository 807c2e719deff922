import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/ask';
import type { LocalClone } from '../shared/host-protocol';
import type { ReplyError } from '../shared/messages';
import { toReplyError } from '../shared/ui/error-note';

/**
 * Repositories cloned on this computer, as the companion knows them; a problem when it cannot say.
 * Read again when `version` changes, or when `refresh` is called (a clone another program runs ends
 * without telling the popup).
 */
export function useLocalClones(version = 0): { clones?: LocalClone[]; problem?: ReplyError; refresh: () => void } {
  const [state, setState] = useState<{ clones?: LocalClone[]; problem?: ReplyError }>({});
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let live = true;
    ask({ type: 'local.clones' })
      .then((a) => live && setState({ clones: a.clones }))
      // What was read before stays: a failed second look does not make every repository look not cloned.
      .catch((e: unknown) => live && setState((s) => ({ ...(s.clones ? { clones: s.clones } : {}), problem: toReplyError(e) })));
    return () => {
      live = false;
    };
  }, [version, asked]);
  return { ...state, refresh: () => setAsked((n) => n + 1) };
}
