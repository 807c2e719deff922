/**
 * Native messaging frames: a 4-byte little-endian length, then that many bytes of UTF-8 JSON.
 * The decoder is fed stdin chunks as they come; a frame that announces more than the limit is
 * reported at once and its bytes are skipped as they arrive, never held in memory.
 */

export type DecodedItem = { kind: 'frame'; payload: Buffer } | { kind: 'tooLarge'; length: number };

export class FrameDecoder {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  /** Bytes of an oversized frame still to throw away. */
  private skipping = 0;

  constructor(private readonly maxFrameBytes: number) {}

  push(chunk: Buffer): DecodedItem[] {
    const items: DecodedItem[] = [];
    let data = chunk;
    if (this.skipping > 0) {
      const skipped = Math.min(this.skipping, data.length);
      this.skipping -= skipped;
      data = data.subarray(skipped);
    }
    if (data.length === 0) return items;
    this.buffered.push(data);
    this.bufferedBytes += data.length;
    for (;;) {
      if (this.skipping > 0) {
        const all = this.take(Math.min(this.skipping, this.bufferedBytes));
        this.skipping -= all.length;
        if (this.skipping > 0) break;
        continue;
      }
      if (this.bufferedBytes < 4) break;
      const length = this.peekHeader();
      if (length > this.maxFrameBytes) {
        this.take(4);
        this.skipping = length;
        items.push({ kind: 'tooLarge', length });
        continue;
      }
      if (this.bufferedBytes < 4 + length) break;
      this.take(4);
      items.push({ kind: 'frame', payload: this.take(length) });
    }
    return items;
  }

  /** At end of input: the number of bytes of an unfinished frame (0 when the stream ended cleanly). */
  pendingBytes(): number {
    return this.bufferedBytes + this.skipping;
  }

  private peekHeader(): number {
    const head = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    if (this.buffered.length > 1) this.buffered = [head];
    return head.readUInt32LE(0);
  }

  private take(n: number): Buffer {
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.buffered = rest.length > 0 ? [rest] : [];
    this.bufferedBytes = rest.length;
    return out;
  }
}

/** Encodes one message; null when it would exceed `maxFrameBytes`. */
export function encodeFrame(message: unknown, maxFrameBytes: number): Buffer | null {
  const payload = Buffer.from(JSON.stringify(message), 'utf8');
  if (payload.length > maxFrameBytes) return null;
  const header = Buffer.alloc(4);
  header.writeUInt32LE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

/** Reads every complete frame from a buffer (tests and tools); throws on leftover bytes. */
export function decodeAll(data: Buffer, maxFrameBytes = Number.MAX_SAFE_INTEGER): unknown[] {
  const decoder = new FrameDecoder(maxFrameBytes);
  const out = decoder.push(data).map((item) => {
    if (item.kind === 'tooLarge') throw new Error(`frame of ${item.length} bytes exceeds the limit`);
    return JSON.parse(item.payload.toString('utf8')) as unknown;
  });
  if (decoder.pendingBytes() > 0) throw new Error(`${decoder.pendingBytes()} bytes of an unfinished frame`);
  return out;
}
