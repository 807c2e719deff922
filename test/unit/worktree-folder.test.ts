import { describe, expect, it } from 'vitest';
import { worktreeFolder, worktreePath } from '../../src/shared/worktree-folder';

describe('a pull request worktree next to its clone', () => {
  it('is named after the clone folder, the pull request and the mode', () => {
    expect(worktreeFolder('/home/ada/src/fabrikam/Platform/Platform', 42, 'branch')).toBe('Platform-pr-42');
    expect(worktreeFolder('/home/ada/src/Platform/', 42, 'merge')).toBe('Platform-pr-42-merge');
  });

  it('sits beside the clone, written with the clone path’s own separators', () => {
    expect(worktreePath('/home/ada/src/fabrikam/Platform', 7, 'branch')).toBe('/home/ada/src/fabrikam/Platform-pr-7');
    expect(worktreePath('C:\\Users\\ada\\source\\repos\\Platform\\', 7, 'merge')).toBe('C:\\Users\\ada\\source\\repos\\Platform-pr-7-merge');
  });
});
