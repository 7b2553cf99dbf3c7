/**
 * The system Chromium the browser tests drive (the vitest `chromium` projects of @sepconv/cpu
 * and @sepconv/webgpu, the docs site's end-to-end tests, consumer-check's Vite page) and the
 * flags they launch it with. playwright-core drives it; no browser is ever downloaded.
 * Dev-only: test configs and test files import this file, no package source does.
 */

/** Debian's `chromium`, or `CHROMIUM_PATH` for another binary. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags every headless run takes: no sandbox (CI runs in a container), no GPU process, and none
 * of the background traffic (updates, sync, first-run pages, QUIC) a test has no use for.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Added where a page uses WebGPU: SwiftShader as the adapter, so no GPU is needed. */
export const CHROMIUM_WEBGPU_ARGS: readonly string[] = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

/** What vitest's playwright provider takes here: the launch options of the system Chromium. */
type ChromiumProvider<P> = (options: { launchOptions: { executablePath: string; args: string[] } }) => P;

/**
 * A vitest `test.browser` block running the project's files in the system Chromium, headless,
 * launched with `args`. `playwright` is `@vitest/browser-playwright`'s provider, passed in so
 * that this root file needs no dependency of its own.
 */
export function chromiumBrowserMode<P>(playwright: ChromiumProvider<P>, args: readonly string[]) {
  return {
    enabled: true,
    headless: true,
    screenshotFailures: false,
    provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...args] } }),
    instances: [{ browser: 'chromium' as const }],
  };
}
