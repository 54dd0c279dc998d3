/**
 * How this project launches the system Chromium (never a downloaded browser): the path, overridable by
 * CHROMIUM_PATH, and the flags from ../shared/notes/browser.md — without --enable-unsafe-webgpu,
 * requestAdapter() returns null on these machines.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];
