import { describe, expect, it } from 'vitest';
import { defaultXdgRuntimeDir } from '../src/default-xdg-runtime-dir.js';

describe('defaultXdgRuntimeDir (silences libwayland’s "XDG_RUNTIME_DIR is invalid" when Dawn loads)', () => {
  it('sets an unset XDG_RUNTIME_DIR to TMPDIR, or /tmp, on Linux', () => {
    const env: Record<string, string | undefined> = { TMPDIR: '/var/tmp/me' };
    defaultXdgRuntimeDir(env, 'linux');
    expect(env.XDG_RUNTIME_DIR).toBe('/var/tmp/me');
    const bare: Record<string, string | undefined> = {};
    defaultXdgRuntimeDir(bare, 'linux');
    expect(bare.XDG_RUNTIME_DIR).toBe('/tmp');
  });

  it('leaves a value the user set alone, and other platforms untouched', () => {
    const set: Record<string, string | undefined> = { XDG_RUNTIME_DIR: '/run/user/1000' };
    defaultXdgRuntimeDir(set, 'linux');
    expect(set.XDG_RUNTIME_DIR).toBe('/run/user/1000');
    for (const platform of ['darwin', 'win32']) {
      const env: Record<string, string | undefined> = {};
      defaultXdgRuntimeDir(env, platform);
      expect(env).toEqual({});
    }
  });
});
