import { describe, expect, it } from 'vitest';
import { FrameDecoder, decodeAll, encodeFrame } from '../../src/host/frame-codec';

const frame = (json: string) => {
  const payload = Buffer.from(json, 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(payload.length, 0);
  return Buffer.concat([header, payload]);
};

describe('frame codec', () => {
  it('encodes a little-endian length then UTF-8 JSON', () => {
    const encoded = encodeFrame({ id: 'ü', ok: true }, 1024)!;
    expect(encoded.readUInt32LE(0)).toBe(encoded.length - 4);
    expect(JSON.parse(encoded.subarray(4).toString('utf8'))).toEqual({ id: 'ü', ok: true });
  });

  it('refuses to encode a message above the limit', () => {
    expect(encodeFrame({ data: 'x'.repeat(100) }, 50)).toBeNull();
    expect(encodeFrame({ data: 'x'.repeat(10) }, 50)).not.toBeNull();
  });

  it('reassembles frames split at every possible byte', () => {
    const stream = Buffer.concat([frame('{"a":1}'), frame('{"b":"two"}'), frame('[3]')]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new FrameDecoder(1000);
      const items = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(items.map((i) => (i.kind === 'frame' ? i.payload.toString() : 'tooLarge'))).toEqual(['{"a":1}', '{"b":"two"}', '[3]']);
      expect(decoder.pendingBytes()).toBe(0);
    }
  });

  it('decodes byte by byte', () => {
    const stream = Buffer.concat([frame('{"x":true}'), frame('null')]);
    const decoder = new FrameDecoder(1000);
    const out = [...stream].flatMap((byte) => decoder.push(Buffer.from([byte])));
    expect(out).toHaveLength(2);
  });

  it('reports an oversized frame at once and skips exactly its bytes', () => {
    const big = Buffer.alloc(4 + 300, 0x41);
    big.writeUInt32LE(300, 0);
    const decoder = new FrameDecoder(100);
    const first = decoder.push(big.subarray(0, 10));
    expect(first).toEqual([{ kind: 'tooLarge', length: 300 }]);
    expect(decoder.push(big.subarray(10, 200))).toEqual([]);
    const rest = decoder.push(Buffer.concat([big.subarray(200), frame('{"after":1}')]));
    expect(rest).toHaveLength(1);
    expect(rest[0]!.kind === 'frame' && rest[0]!.payload.toString()).toBe('{"after":1}');
  });

  it('counts the bytes of an unfinished frame', () => {
    const decoder = new FrameDecoder(100);
    decoder.push(frame('{"a":1}').subarray(0, 6));
    expect(decoder.pendingBytes()).toBe(6);
    expect(() => decodeAll(frame('{"a":1}').subarray(0, 6))).toThrow(/unfinished/);
  });

  it('accepts an empty payload as a frame (the session rejects it as JSON)', () => {
    expect(new FrameDecoder(10).push(Buffer.from([0, 0, 0, 0]))).toEqual([{ kind: 'frame', payload: Buffer.alloc(0) }]);
  });
});
