import { useEffect, useState } from 'preact/hooks';
import type { Profile } from '../shared/profile';

/**
 * The profile a section acts for: the active one until the user picks another in the section,
 * and the active one again when the user makes a different profile active. Adding or removing a
 * profile keeps the section as it is (it used to be redrawn from scratch, losing what it showed).
 */
export function useChosenProfile(profiles: Profile[], activeId: string | undefined): [Profile | undefined, (id: string) => void] {
  const [chosenId, setChosenId] = useState(activeId ?? profiles[0]?.id ?? '');
  useEffect(() => {
    if (activeId) setChosenId(activeId);
  }, [activeId]);
  return [profiles.find((p) => p.id === chosenId) ?? profiles.find((p) => p.id === activeId) ?? profiles[0], setChosenId];
}
