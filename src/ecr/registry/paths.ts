/** The routes of the distribution API under `/v2/`, parsed from a path (repository names hold slashes). */

export type RegistryPath =
  | { type: 'base' }
  | { type: 'catalog' }
  /** The Docker token flow's token endpoint (token-server.ts). */
  | { type: 'token' }
  | { type: 'uploads'; name: string }
  | { type: 'upload'; name: string; id: string }
  | { type: 'blob'; name: string; digest: string }
  | { type: 'manifest'; name: string; reference: string }
  | { type: 'tags'; name: string }
  | { type: 'referrers'; name: string; digest: string };

const ROUTES: [RegExp, (m: RegExpExecArray) => RegistryPath][] = [
  [/^\/v2\/?$/, () => ({ type: 'base' })],
  [/^\/v2\/_catalog$/, () => ({ type: 'catalog' })],
  [/^\/v2\/token\/?$/, () => ({ type: 'token' })],
  [/^\/v2\/(.+)\/blobs\/uploads\/?$/, (m) => ({ type: 'uploads', name: m[1] })],
  [/^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, (m) => ({ type: 'upload', name: m[1], id: m[2] })],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, (m) => ({ type: 'blob', name: m[1], digest: m[2] })],
  [/^\/v2\/(.+)\/manifests\/([^/]+)$/, (m) => ({ type: 'manifest', name: m[1], reference: m[2] })],
  [/^\/v2\/(.+)\/tags\/list$/, (m) => ({ type: 'tags', name: m[1] })],
  [/^\/v2\/(.+)\/referrers\/([^/]+)$/, (m) => ({ type: 'referrers', name: m[1], digest: m[2] })],
];

/** The route of `pathname` (already percent-decoded segments are not expected: names are plain). */
export function parseRegistryPath(pathname: string): RegistryPath | undefined {
  for (const [pattern, make] of ROUTES) {
    const m = pattern.exec(pathname);
    if (m) return make(m);
  }
  return undefined;
}

/** The distribution spec's repository name grammar (ECR's is the same). */
export const NAME_PATTERN = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;
