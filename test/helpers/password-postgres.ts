import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from './tcp-proxy.js';

/**
 * A private PostgreSQL cluster that checks passwords (scram-sha-256), on a
 * random loopback port, for the tests of a wrong password: the shared
 * server on 5432 trusts every login. It runs as the `postgres` system user
 * (initdb refuses root), from the machine's PostgreSQL binaries.
 */
export interface PasswordPostgres {
  user: string;
  password: string;
  port: number;
  /** The URL with the right password. */
  url: string;
  stop(): Promise<void>;
}

function binaries(): string {
  const root = '/usr/lib/postgresql';
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  if (!version) throw new Error(`no PostgreSQL under ${root}`);
  return join(root, version, 'bin');
}

export async function startPasswordPostgres(): Promise<PasswordPostgres> {
  const bin = binaries();
  const dir = mkdtempSync(join(tmpdir(), 'lc-chat-pgpw-'));
  const user = 'lc_owner';
  const password = 'right-password';
  const { uid, gid } = { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
  chownSync(dir, uid, gid);
  const passwordFile = join(dir, 'pw');
  writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
  chownSync(passwordFile, uid, gid);
  const asPostgres = (command: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { stdio: 'pipe' });
  asPostgres('initdb', ['-D', join(dir, 'data'), '-U', user, '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '-N']);
  const port = await freeLoopbackPort();
  asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), '-w', 'start']);
  return {
    user,
    password,
    port,
    url: `postgres://${user}:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
