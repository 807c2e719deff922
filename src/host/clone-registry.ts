/** The clones the companion made, so `localClones` can say "cloned at ..." even outside the roots scanned. */
import * as z from 'zod';
import { readJsonFile, writeJsonFile } from './json-file';

const EntrySchema = z.object({ path: z.string(), url: z.string(), clonedAt: z.string() });
export type RegistryEntry = z.infer<typeof EntrySchema>;
const FileSchema = z.object({ clones: z.array(EntrySchema) });

const MAX_ENTRIES = 2000;

export function readRegistry(file: string): RegistryEntry[] {
  try {
    const parsed = FileSchema.safeParse(readJsonFile(file));
    return parsed.success ? parsed.data.clones : [];
  } catch {
    // A damaged registry only loses "known" marks; the roots are still scanned.
    return [];
  }
}

export function addToRegistry(file: string, entry: RegistryEntry): void {
  const others = readRegistry(file).filter((e) => e.path !== entry.path);
  writeJsonFile(file, { clones: [...others, entry].slice(-MAX_ENTRIES) });
}
