import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { SharedClient } from '../client/shared-client.js';
import { mediaSize, uploadFile } from '../client/upload.js';
import type { Localizer } from '../i18n/localize.js';
import { formatBytes } from '../util/format.js';

/** A file being uploaded before it is sent as a message. */
interface Upload {
  id: string;
  file: File;
  progress: number;
  state: 'uploading' | 'failed';
  error?: string;
  controller: AbortController;
}

export interface UploadsHost {
  /** Where to send: the client and conversation, when there is one. */
  target(): { client: SharedClient; cid: string } | undefined;
  /** An upload started: the list should show it. */
  started(): void;
  failed(error: unknown): void;
}

let counter = 0;

/**
 * Attachments: each chosen file is uploaded (with progress and cancel),
 * then sent as an image, audio, video or file message through the outbox.
 * Until then it shows at the end of the list as the user's own pending row.
 */
export class UploadsController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #uploadsHost: UploadsHost;
  #items: readonly Upload[] = [];

  constructor(host: ReactiveControllerHost, uploadsHost: UploadsHost) {
    this.#host = host;
    this.#uploadsHost = uploadsHost;
    host.addController(this);
  }

  get active(): boolean {
    return this.#items.length > 0;
  }

  /** Uploads a file, then sends it. `id` retries a failed one in place. */
  async start(file: File, id = `upload-${++counter}`): Promise<void> {
    const target = this.#uploadsHost.target();
    if (!target) return;
    const upload: Upload = { id, file, progress: 0, state: 'uploading', controller: new AbortController() };
    this.#put(upload);
    this.#uploadsHost.started();
    try {
      const uploads = await target.client.uploadTarget();
      const [uploaded, size] = await Promise.all([
        uploadFile(file, { ...uploads, signal: upload.controller.signal, onProgress: (progress) => this.#update(id, { progress }) }),
        mediaSize(file),
      ]);
      this.#remove(id);
      await target.client.sendFile(target.cid, uploaded, size ?? {});
    } catch (error) {
      if (upload.controller.signal.aborted) {
        this.#remove(id);
        return;
      }
      this.#update(id, { state: 'failed', error: error instanceof Error ? error.message : String(error) });
      this.#uploadsHost.failed(error);
    }
  }

  /** Cancels every upload (the element went away or changed conversation). */
  clear(): void {
    for (const upload of this.#items) upload.controller.abort();
    this.#items = [];
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.clear();
  }

  render({ t, lang }: Localizer): TemplateResult | typeof nothing {
    if (!this.#items.length) return nothing;
    return html`${this.#items.map(
      (upload) => html`<div class="row own first upload" data-upload=${upload.id}>
        <div class="stack">
          <div class="bubble" part="bubble">
            <div class="upload-body">
              <span class="file-text"><span class="file-name">${upload.file.name}</span><span class="meta">${formatBytes(upload.file.size, lang)}</span></span>
              ${upload.state === 'uploading'
                ? html`<progress part="progress" max="1" .value=${upload.progress} aria-label=${t('upload.progress', { name: upload.file.name })}></progress>`
                : html`<span class="upload-error">${upload.error ?? t('upload.failed')}</span>`}
            </div>
          </div>
          <div class="meta-line">
            ${upload.state === 'uploading'
              ? html`<button type="button" class="link-button" @click=${() => upload.controller.abort()}>${t('upload.cancel')}</button>`
              : html`<button type="button" class="link-button" @click=${() => void this.start(upload.file, upload.id)}>${t('message.retry')}</button> ·
                  <button type="button" class="link-button" @click=${() => this.#remove(upload.id)}>${t('message.discard')}</button>`}
          </div>
        </div>
      </div>`,
    )}`;
  }

  #put(upload: Upload): void {
    const known = this.#items.some((item) => item.id === upload.id);
    this.#items = known ? this.#items.map((item) => (item.id === upload.id ? upload : item)) : [...this.#items, upload];
    this.#host.requestUpdate();
  }

  #update(id: string, changes: Partial<Upload>): void {
    this.#items = this.#items.map((item) => (item.id === id ? { ...item, ...changes } : item));
    this.#host.requestUpdate();
  }

  #remove(id: string): void {
    this.#items = this.#items.filter((item) => item.id !== id);
    this.#host.requestUpdate();
  }
}
