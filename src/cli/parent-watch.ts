/**
 * Ends this process when the `bin/longshore.mjs` wrapper that started it dies. A wrapper killed
 * with SIGKILL cannot forward anything, so the child notices by itself: the wrapper starts it with
 * an IPC channel, and the channel disconnects when the wrapper is gone.
 */

/**
 * When started with an IPC channel, stops like on SIGTERM once it disconnects (the signal handlers
 * of long-running commands shut down cleanly; a command without them just ends). The channel does
 * not keep the process alive.
 */
export function exitWithParent(): void {
  if (!process.send || !process.connected) return;
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel?.unref();
}
