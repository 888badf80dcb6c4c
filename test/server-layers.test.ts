/**
 * The server's layers: the gateway (sockets) depends on the handlers, never
 * the reverse, so that another broker or presence (Redis) slots in beside
 * the local ones without touching the handlers. Read from the import lines
 * of src/server/, type-only imports included.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SERVER = resolve(dirname(fileURLToPath(import.meta.url)), '../src/server');
/** Folders that must not reach into gateway/. */
const BELOW_GATEWAY = ['handlers', 'session', 'presence', 'rest', 'hooks'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The relative modules a file imports or re-exports (`import … from`, `export … from`, `import(…)`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier?.startsWith('.')) specifiers.push(specifier);
  }
  return specifiers;
}

/** The folder of src/server/ a module is in ('' for the top level). */
function layerOf(path: string): string {
  const rel = relative(SERVER, path);
  return rel.includes('/') ? rel.split('/')[0]! : '';
}

test('the import reader finds known imports, type-only ones included', () => {
  const files = sourceFiles(SERVER);
  const gateway = files.find((file) => file.endsWith('/gateway/gateway.ts'))!;
  const imports = importsOf(gateway);
  // gateway.ts imports the handlers (direct.js) and, type-only, the broker's Delivery.
  assert.ok(imports.includes('../handlers/direct.js'), imports.join(', '));
  assert.ok(imports.includes('../broker/types.js'), imports.join(', '));
  assert.deepEqual(
    importsOf(join(SERVER, 'index.ts')).filter((specifier) => specifier === './gateway/gateway.js'),
    ['./gateway/gateway.js'],
  );
});

test('handlers, session, presence, rest and hooks import nothing from gateway/', () => {
  const offenders: string[] = [];
  let checked = 0;
  for (const file of sourceFiles(SERVER)) {
    if (!BELOW_GATEWAY.includes(layerOf(file))) continue;
    checked += 1;
    for (const specifier of importsOf(file)) {
      if (layerOf(resolve(dirname(file), specifier)) === 'gateway') offenders.push(`${relative(SERVER, file)} imports ${specifier}`);
    }
  }
  // Every one of those folders has files: an empty walk would pass anything.
  for (const layer of BELOW_GATEWAY) assert.ok(sourceFiles(join(SERVER, layer)).length > 0, `src/server/${layer}/ has no files`);
  assert.ok(checked >= 40, `only ${checked} files checked`);
  assert.deepEqual(offenders, []);
});
