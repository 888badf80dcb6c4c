import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { SNIFF_BYTES } from './content-type.js';
import { FileTooLargeError, type FileRecord, type FileStore, type NewFile } from './file-store.js';

const ID = /^[0-9a-f]{32}$/;

/**
 * Files on local disk under `root`, at `<root>/<id[0:2]>/<id>` with a JSON
 * sidecar. Paths are built from the random id alone, so no name or request
 * can reach outside `root`.
 */
export class DiskFileStore implements FileStore {
  constructor(private readonly root: string) {}

  private pathOf(id: string): string {
    if (!ID.test(id)) throw new Error('invalid file id');
    return join(this.root, id.slice(0, 2), id);
  }

  async put(file: NewFile): Promise<FileRecord> {
    const id = randomBytes(16).toString('hex');
    const path = this.pathOf(id);
    await mkdir(join(this.root, id.slice(0, 2)), { recursive: true });
    const partial = `${path}.part`;
    const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
    let size = 0;
    let mime: string | undefined;
    let head: Uint8Array[] = [];
    try {
      for await (const chunk of file.body) {
        size += chunk.length;
        if (size > file.maxBytes) throw new FileTooLargeError(file.maxBytes);
        if (mime === undefined) {
          head.push(chunk);
          const headBytes = Buffer.concat(head);
          if (headBytes.length >= SNIFF_BYTES) {
            mime = file.check(headBytes);
            head = [];
          }
        }
        if (!out.write(chunk)) await once(out, 'drain');
      }
      mime ??= file.check(Buffer.concat(head));
      out.end();
      await once(out, 'finish');
      const record: FileRecord = { id, appId: file.appId, name: file.name, mime, size, uploadedBy: file.uploadedBy, createdAt: Date.now() };
      // Bytes first, then the sidecar that makes them visible: a crash in
      // between leaves an orphan, never a record without its bytes.
      await rename(partial, path);
      await writeFile(`${path}.json`, JSON.stringify(record), { mode: 0o600 });
      return record;
    } catch (error) {
      out.destroy();
      await rm(partial, { force: true });
      throw error;
    }
  }

  async usage(): Promise<Map<string, number>> {
    const usage = new Map<string, number>();
    const shards = await readdir(this.root).catch(() => [] as string[]);
    for (const shard of shards) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(join(this.root, shard)).catch(() => [] as string[])) {
        if (!name.endsWith('.json') || !ID.test(name.slice(0, -5))) continue;
        try {
          const record = JSON.parse(await readFile(join(this.root, shard, name), 'utf8')) as Partial<FileRecord>;
          if (typeof record.appId === 'string' && typeof record.size === 'number') usage.set(record.appId, (usage.get(record.appId) ?? 0) + record.size);
        } catch {
          // A sidecar being written or damaged: its file is not served either.
        }
      }
    }
    return usage;
  }

  async get(id: string): Promise<{ record: FileRecord; open(): ReturnType<typeof createReadStream> } | undefined> {
    if (!ID.test(id)) return undefined;
    const path = this.pathOf(id);
    let record: FileRecord;
    try {
      record = JSON.parse(await readFile(`${path}.json`, 'utf8')) as FileRecord;
    } catch {
      return undefined;
    }
    return { record, open: () => createReadStream(path) };
  }
}
