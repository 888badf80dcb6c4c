import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { SharedClient } from '../client/shared-client.js';
import { UploadError } from '../../sdk/typed-messages/upload.js';
import { precheckUpload } from '../client/upload-precheck.js';
import type { Localizer } from '../i18n/localize.js';
import { formatBytes } from '../util/format.js';

/**
 * Why an upload failed, as the user is told: `too-large` and `type` are
 * permanent (retrying the same file cannot help); the others may pass later.
 */
type UploadFailure =
  | { reason: 'too-large'; limit: number | undefined }
  | { reason: 'type'; family: string }
  | { reason: 'quota' }
  | { reason: 'rate' }
  | { reason: 'denied' }
  | { reason: 'network' }
  | { reason: 'other' };

const PERMANENT = new Set<UploadFailure['reason']>(['too-large', 'type', 'quota', 'denied']);

/** What a refusal (from the pre-check or the server) means for the user. */
function failureOf(error: unknown, mimeType: string, limit: number | undefined): UploadFailure {
  if (!(error instanceof UploadError)) return { reason: 'other' };
  switch (error.status) {
    case 413:
      // The server says 413 for the app's storage quota too.
      return /quota/i.test(error.message) ? { reason: 'quota' } : { reason: 'too-large', limit };
    case 415:
      return { reason: 'type', family: mimeType.split('/')[0] ?? '' };
    case 429:
      return { reason: 'rate' };
    case 401:
    case 403:
      return { reason: 'denied' };
    case 0:
      return { reason: 'network' };
    default:
      return { reason: 'other' };
  }
}

/** A file being uploaded before it is sent as a message. */
interface Upload {
  id: string;
  file: File;
  progress: number;
  state: 'uploading' | 'failed';
  failure?: UploadFailure;
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
    let limit: number | undefined;
    let mimeType = file.type;
    try {
      // Loaded with the first attachment: pages that never upload do not download the file code.
      const { LcFile } = await import('../../sdk/typed-messages/lc-file.js');
      const lcFile = new LcFile(file.name || 'file', file);
      // The type it is uploaded as: the file's own, else guessed from its name.
      mimeType = lcFile.mimeType;
      limit = (await target.client.limits())?.maxUploadBytes;
      // Refused before a byte is sent: a 21 MB file is not uploaded in full to learn it is too large.
      const refused = await precheckUpload(file, mimeType, limit);
      if (refused) throw refused;
      await lcFile.save({
        ...(await target.client.uploadOptions()),
        signal: upload.controller.signal,
        onprogress: ({ percent }) => this.#update(id, { progress: percent / 100 }),
      });
      this.#remove(id);
      await target.client.sendFile(target.cid, lcFile);
    } catch (error) {
      if (upload.controller.signal.aborted) {
        this.#remove(id);
        return;
      }
      this.#update(id, { state: 'failed', failure: failureOf(error, mimeType, limit) });
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
                : html`<span class="upload-error" role="alert">${this.#reason(upload.failure, { t, lang })}</span>`}
            </div>
          </div>
          <div class="meta-line">
            ${upload.state === 'uploading'
              ? html`<button type="button" class="link-button" @click=${() => upload.controller.abort()}>${t('upload.cancel')}</button>`
              : html`${upload.failure && PERMANENT.has(upload.failure.reason)
                    ? nothing
                    : html`<button type="button" class="link-button" @click=${() => void this.start(upload.file, upload.id)}>${t('message.retry')}</button> · `}
                  <button type="button" class="link-button" @click=${() => this.#remove(upload.id)}>${t('message.discard')}</button>`}
          </div>
        </div>
      </div>`,
    )}`;
  }

  #reason(failure: UploadFailure | undefined, { t, lang }: Pick<Localizer, 't' | 'lang'>): string {
    switch (failure?.reason) {
      case 'too-large':
        return failure.limit !== undefined ? t('upload.tooLarge', { limit: formatBytes(failure.limit, lang) }) : t('upload.tooLargeUnknown');
      case 'type':
        return failure.family === 'image' ? t('upload.notImage') : failure.family === 'audio' ? t('upload.notAudio') : t('upload.notVideo');
      case 'quota':
        return t('upload.quota');
      case 'rate':
        return t('upload.rate');
      case 'denied':
        return t('upload.denied');
      case 'network':
        return t('upload.network');
      default:
        return t('upload.failed');
    }
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
