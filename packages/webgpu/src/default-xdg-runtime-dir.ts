/**
 * Dawn's Vulkan loader probes for a Wayland display through libwayland, which prints
 * `error: XDG_RUNTIME_DIR is invalid or not set in the environment.` to stderr (twice) when the
 * variable is unset: a server, a container, CI. Only its being set matters: with no Wayland
 * socket in the folder the probe fails quietly and Dawn carries on. So, on Linux and only when
 * unset, it is set to the temp folder before Dawn loads (Node writes `process.env` through to
 * the real environment Dawn reads). A value the user set, even an odd one, is left alone.
 * Does nothing where there is no `process` (a browser).
 * @param env the environment to complete (default `process.env`).
 * @param platform default `process.platform`; other platforms' Vulkan loaders do not probe Wayland.
 */
export function defaultXdgRuntimeDir(
  env: Record<string, string | undefined> | undefined = globalThis.process?.env,
  platform: string | undefined = globalThis.process?.platform,
): void {
  if (env === undefined || platform !== 'linux' || env.XDG_RUNTIME_DIR !== undefined) return;
  env.XDG_RUNTIME_DIR = env.TMPDIR || '/tmp';
}
