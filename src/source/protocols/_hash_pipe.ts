/**
 * A download body's hashing and writing on a worker thread
 * (`_hash_worker.ts`): the bytes are copied into 1 MiB blocks (four of them,
 * so memory stays bounded), each full block is transferred to the worker,
 * which hashes it and appends it to the `.part`, and transferred back. The
 * main thread only receives and copies, so the transfer and the hash
 * overlap instead of adding up: measured by `bench/fetch_bench.ts`.
 *
 * @module
 */

import type { HashAlgorithm } from "../../pkgbuild/model.ts";
import { mayLoadModule } from "../_worker_module.ts";
import type { HashWorkerReply, HashWorkerRequest } from "./_hash_messages.ts";

/** The hash worker's module; `deno compile` must `--include` it (a binary without it hashes inline). */
const HASH_WORKER = new URL("./_hash_worker.ts", import.meta.url);

/** Bytes per block handed to the worker. */
const BLOCK = 1 << 20;
/** Blocks in flight at most. */
const BLOCKS = 4;

/** Hashes and appends a byte stream to a file on a worker; see the module doc. */
export class HashPipe {
  readonly #worker: Worker;
  readonly #free: ArrayBuffer[] = [];
  #current: Uint8Array | undefined;
  #fill = 0;
  #outstanding = 0;
  #failure: Error | undefined;
  #digests: ((digests: Partial<Record<HashAlgorithm, string>>) => void) | undefined;
  #wake: (() => void) | undefined;

  /** Starts a worker appending to `path`; `undefined` when no worker can be loaded here. */
  static open(path: string, algorithms: readonly HashAlgorithm[]): HashPipe | undefined {
    if (!mayLoadModule(HASH_WORKER)) return undefined;
    let worker: Worker;
    try {
      worker = new Worker(HASH_WORKER, { type: "module" });
    } catch {
      return undefined;
    }
    return new HashPipe(worker, path, algorithms);
  }

  private constructor(worker: Worker, path: string, algorithms: readonly HashAlgorithm[]) {
    this.#worker = worker;
    for (let i = 0; i < BLOCKS; i++) this.#free.push(new ArrayBuffer(BLOCK));
    worker.onmessage = (event: MessageEvent<HashWorkerReply>) => this.#receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.#fail(new Error(`the hash worker failed: ${event.message}`));
    };
    this.#post({ type: "start", path, algorithms: [...algorithms] });
  }

  /** Copies `chunk` into blocks, handing each full one over; waits only while all blocks are busy. */
  async write(chunk: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      this.#throwIfFailed();
      if (!this.#current) {
        while (this.#free.length === 0) await this.#next();
        this.#current = new Uint8Array(this.#free.pop()!);
      }
      const n = Math.min(chunk.length - offset, BLOCK - this.#fill);
      this.#current.set(chunk.subarray(offset, offset + n), this.#fill);
      this.#fill += n;
      offset += n;
      if (this.#fill === BLOCK) this.#hand();
    }
  }

  /** Hands over the partial block and waits until every block was hashed and written. */
  async flush(): Promise<void> {
    if (this.#current && this.#fill > 0) this.#hand();
    while (this.#outstanding > 0 && !this.#failure) await this.#next();
    this.#throwIfFailed();
  }

  /** Starts the hashes over, after a {@link flush} and emptying the file. */
  restart(): void {
    this.#post({ type: "restart" });
  }

  /** The digests of everything written since the start (or the last restart); flushes first. */
  async digest(): Promise<Partial<Record<HashAlgorithm, string>>> {
    await this.flush();
    const digests = new Promise<Partial<Record<HashAlgorithm, string>>>((resolve) => {
      this.#digests = resolve;
    });
    this.#post({ type: "digest" });
    while (this.#digests && !this.#failure) await this.#next();
    this.#throwIfFailed();
    return await digests;
  }

  /** Stops the worker. */
  close(): void {
    this.#worker.terminate();
  }

  #hand(): void {
    const buffer = this.#current!.buffer as ArrayBuffer;
    this.#outstanding++;
    this.#post({ type: "block", buffer, length: this.#fill }, [buffer]);
    this.#current = undefined;
    this.#fill = 0;
  }

  #post(request: HashWorkerRequest, transfer: ArrayBuffer[] = []): void {
    this.#worker.postMessage(request, transfer);
  }

  #receive(reply: HashWorkerReply): void {
    if (reply.type === "done") {
      this.#outstanding--;
      this.#free.push(reply.buffer);
    } else if (reply.type === "digests") {
      const resolve = this.#digests;
      this.#digests = undefined;
      resolve?.(reply.digests);
    } else this.#fail(new Error(reply.message));
    this.#wake?.();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#wake?.();
  }

  #next(): Promise<void> {
    return new Promise((resolve) => (this.#wake = resolve));
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure;
  }
}
