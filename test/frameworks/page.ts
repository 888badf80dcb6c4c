/**
 * What the test reads from the page: the texts the app's handler got, and
 * a way to unmount. One file for the three apps: the test copies it into
 * each app's src/.
 */
export interface Who {
  server: string;
  appId: string;
  me: string;
  peer: string;
}

declare global {
  interface Window {
    received: string[];
    unmount?: () => void;
  }
}

export const received: string[] = (window.received = []);

export function unmounted(unmount: () => void): void {
  window.unmount = unmount;
}
