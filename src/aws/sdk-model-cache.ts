/**
 * A service's SDK model without its SDK package: `loadSdkModelCached` reads the model from a JSON
 * file cached per package version, built once by a child process (`sdk-model-extract.ts`), and
 * rebuilds what `readSdkModel(sdk)` returns, schemas as the same tagged arrays and thunks, so the
 * protocols, validation and the fuzzer cannot tell. Importing a big `@aws-sdk/client-*` package in the
 * serving process would block its event loop (EC2's 2 MB bundle: 0.35 s on an idle machine, over
 * 1 s under load) and keep ~100 MiB; here the loop only waits on I/O and parses a small JSON.
 *
 * Why a child process and not a worker thread: both keep the import off the event loop, but a
 * worker shares the process's heap budget and RSS while it lives (and freed isolate memory is not
 * always returned to the system), while a child that exits frees everything.
 *
 * The cache: `<node_modules>/.cache/longshore/sdk-models/<pkg>@<version>-<key>.json`, else (a
 * read-only install) `<tmpdir>/longshore-sdk-models-<uid>/`, or only `LONGSHORE_SDK_MODEL_CACHE`
 * when set. The key hashes the format, the extractor's source and the implemented operations.
 * Files are written whole to a unique temporary name and renamed, so readers never see a partial
 * file and two processes building it at once both leave a good one. A file that does not parse or
 * does not match is rebuilt; when no directory is writable the model is still served, uncached.
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readSdkModel } from './sdk-model.ts';
import { type ExtractRequest, SDK_MODEL_FORMAT, type SdkModelFile } from './sdk-model-extract.ts';
import type { ServiceModel } from './service.ts';

export interface SdkModelSource {
  /** The SDK package: `@aws-sdk/client-ec2`. */
  pkg: string;
  /** The operations Longshore implements: their schemas are kept, the others only by name and traits. */
  implemented: readonly string[];
  /** Cache directories, the first readable file and the first writable directory win (tests). */
  cacheDirs?: readonly string[];
}

/** Overrides the cache directories (one directory). */
export const SDK_MODEL_CACHE_ENV = 'LONGSHORE_SDK_MODEL_CACHE';

const EXTRACTOR = fileURLToPath(new URL('./sdk-model-extract.ts', import.meta.url));
const EXTRACT_TIMEOUT_MS = 120_000;
const require = createRequire(import.meta.url);

/**
 * The model `readSdkModel(await import(pkg))` would return, with the input and output schemas of
 * the implemented operations only (the others' throw when dereferenced: nothing decodes a request
 * to an operation that is not implemented). Never imports the package in this process, except as
 * a last resort when the extractor cannot run (a warning says why).
 */
export async function loadSdkModelCached(source: SdkModelSource): Promise<ServiceModel> {
  const entry = require.resolve(source.pkg);
  const packageDir = packageDirOf(entry, source.pkg);
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const implemented = [...new Set(source.implemented)].sort();
  const request: ExtractRequest = { entry, pkg: source.pkg, version, implemented };
  const name = await cacheFileName(request);
  const dirs = source.cacheDirs ?? defaultCacheDirs(packageDir);
  for (const dir of dirs) {
    if (!(await usable(dir, false))) continue;
    const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    const file = text === undefined ? undefined : parseModelFile(text, request);
    if (file) return rebuildSdkModel(file);
  }
  let text: string;
  let file: SdkModelFile | undefined;
  try {
    text = await runExtractor(request);
    file = parseModelFile(text, request);
    if (!file) throw new Error('the extractor wrote a file that does not match its request');
  } catch (error) {
    process.emitWarning(
      `${source.pkg}: extracting the SDK model off-thread failed (${(error as Error).message}); ` +
        'importing the package in this process instead',
      { code: 'LONGSHORE_SDK_MODEL' },
    );
    return readSdkModel((await import(pathToFileURL(entry).href)) as object);
  }
  await writeCache(dirs, name, text);
  return rebuildSdkModel(file);
}

/** `<pkg with __ for />@<version>-<key>.json`: the key changes with the format, the extractor and the operations. */
export async function cacheFileName(request: Omit<ExtractRequest, 'entry'>): Promise<string> {
  const key = createHash('sha256')
    .update(`${SDK_MODEL_FORMAT}\n${await readFile(EXTRACTOR, 'utf8')}\n${request.implemented.join(',')}`)
    .digest('hex')
    .slice(0, 16);
  return `${request.pkg.replaceAll('/', '__')}@${request.version}-${key}.json`;
}

/** The ServiceModel an extracted file describes: the SDK's exports rebuilt, read by readSdkModel. */
export function rebuildSdkModel(file: SdkModelFile): ServiceModel {
  const table: unknown[][] = file.schemas.map(() => []);
  const ref = (value: unknown, operation?: string): unknown => {
    if (typeof value === 'number' || typeof value === 'string') return value;
    if (Array.isArray(value)) return [ref(value[0]), value[1]];
    const encoded = value as { $t?: number; $s?: number; $f?: unknown; $x?: number };
    if (encoded.$t !== undefined) {
      const target = table[encoded.$t];
      return () => target;
    }
    if (encoded.$s !== undefined) return table[encoded.$s];
    if ('$f' in encoded) {
      const target = ref(encoded.$f);
      return () => target;
    }
    if (encoded.$x !== undefined) return notExtracted(file.pkg, String(operation));
    throw new Error(`${file.pkg}: not a schema reference in the cached model: ${JSON.stringify(value)}`);
  };
  file.schemas.forEach((encoded, id) => {
    const [tag, namespace, name, traits, ...rest] = encoded as unknown[];
    const schema = table[id];
    schema.push(tag, namespace, name, traits);
    switch (tag) {
      case 0: // simple
      case 1: // list
      case 2: // map
        schema.push(...rest.map((r) => ref(r)));
        break;
      case 3: // structure
      case -3: // error
      case 4: {
        // union; `more` is a structure's count of required members
        const [names, members, ...more] = rest as [string[], unknown[], ...unknown[]];
        schema.push(
          names,
          members.map((m) => ref(m)),
          ...more,
        );
        break;
      }
      case 9: // operation
        schema.push(...rest.map((r) => ref(r, String(name))));
        break;
      default:
        throw new Error(`${file.pkg}: unknown schema tag ${String(tag)} in the cached model`);
    }
  });
  const sdk = Object.fromEntries(Object.entries(file.exports).map(([key, id]) => [key, table[id]]));
  return readSdkModel(sdk);
}

function notExtracted(pkg: string, operation: string): () => never {
  return () => {
    throw new Error(
      `${pkg} ${operation}: schemas of operations Longshore does not implement are not loaded (sdk-model-cache.ts)`,
    );
  };
}

function parseModelFile(text: string, request: Omit<ExtractRequest, 'entry'>): SdkModelFile | undefined {
  let file: SdkModelFile;
  try {
    file = JSON.parse(text) as SdkModelFile;
  } catch {
    return undefined;
  }
  const matches =
    typeof file === 'object' &&
    file !== null &&
    file.format === SDK_MODEL_FORMAT &&
    file.pkg === request.pkg &&
    file.version === request.version &&
    Array.isArray(file.implemented) &&
    file.implemented.join(',') === request.implemented.join(',') &&
    Array.isArray(file.schemas) &&
    typeof file.exports === 'object' &&
    file.exports !== null;
  return matches ? file : undefined;
}

/** The package's directory, from its entry file: `.../node_modules/@aws-sdk/client-ec2`. */
function packageDirOf(entry: string, pkg: string): string {
  const marker = `${sep}node_modules${sep}${pkg.split('/').join(sep)}${sep}`;
  const at = entry.lastIndexOf(marker);
  if (at < 0) throw new Error(`${pkg} resolves outside node_modules: ${entry}`);
  return entry.slice(0, at + marker.length - 1);
}

function defaultCacheDirs(packageDir: string): string[] {
  const override = process.env[SDK_MODEL_CACHE_ENV];
  if (override) return [override];
  const marker = `${sep}node_modules`;
  const nodeModules = packageDir.slice(0, packageDir.lastIndexOf(`${marker}${sep}`) + marker.length);
  return [
    join(nodeModules, '.cache', 'longshore', 'sdk-models'),
    join(tmpdir(), `longshore-sdk-models-${process.getuid?.() ?? 'user'}`),
  ];
}

/**
 * A directory the cache may use: in the shared temporary directory only one of this user's
 * (anyone may create a directory there, and the model decides how requests are read).
 */
async function usable(dir: string, create: boolean): Promise<boolean> {
  try {
    const shared = dir.startsWith(tmpdir() + sep);
    if (create) await mkdir(dir, { recursive: true, mode: shared ? 0o700 : 0o777 });
    if (!shared) return true;
    const stat = await lstat(dir);
    return stat.isDirectory() && (process.getuid === undefined || stat.uid === process.getuid());
  } catch {
    return false;
  }
}

/** Writes the file into the first directory that takes it (tmp + rename); none taking it is not an error. */
async function writeCache(dirs: readonly string[], name: string, text: string): Promise<void> {
  for (const dir of dirs) {
    if (!(await usable(dir, true))) continue;
    const tmp = join(dir, `.${name}.${process.pid}.${randomUUID()}.tmp`);
    try {
      await writeFile(tmp, text);
      await rename(tmp, join(dir, name));
      return;
    } catch {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}

/** Runs the extractor in a child Node process; resolves with the JSON it writes. */
function runExtractor(request: ExtractRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', EXTRACTOR, JSON.stringify(request)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 4096) err += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), EXTRACT_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`the extractor exited with ${code ?? signal}: ${err.trim().slice(0, 1000)}`));
    });
  });
}
