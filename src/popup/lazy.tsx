import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNote, toReplyError } from '../shared/ui/error-note';
import { SkeletonRows } from '../shared/ui/skeleton';

/**
 * A component whose code loads the first time it is drawn. The popup opens on the repository list;
 * the other tabs' code (forms, licenses, schemas) would only slow that first paint. It loads after
 * the frame it is first drawn in (an effect), showing `Placeholder` (or skeleton rows) until then.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>, Placeholder?: ComponentType): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  return function Lazy(props: P) {
    const [, setReady] = useState(false);
    const [error, setError] = useState<unknown>();
    useEffect(() => {
      if (loaded) return;
      let live = true;
      (loading ??= load().then((c) => (loaded = c)))
        .then(() => live && setReady(true))
        .catch((e: unknown) => {
          loading = undefined;
          if (live) setError(e);
        });
      return () => {
        live = false;
      };
    }, []);
    if (error) return <ErrorNote error={toReplyError(error)} title="This part of the popup did not load. Close the popup and open it again." />;
    if (!loaded) return Placeholder ? <Placeholder /> : <SkeletonRows count={5} label="Loading" />;
    const Loaded = loaded;
    return <Loaded {...props} />;
  };
}
