import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/host/redact';

describe('redactor', () => {
  it('masks a registered secret and the encodings git would send', () => {
    const redactor = new Redactor();
    const pat = 'sEcReT-token+/=value';
    redactor.addSecret(pat);
    const basic = Buffer.from(`:${pat}`).toString('base64');
    const text = `token ${pat} basic ${basic} url ${encodeURIComponent(pat)}`;
    const out = redactor.redact(text);
    expect(out).not.toContain(pat);
    expect(out).not.toContain(basic);
    expect(out).not.toContain(encodeURIComponent(pat));
  });

  it.each([
    ['Authorization: Basic OmFiY2RlZmdoaWprbG1ub3A=', 'OmFiY2RlZmdoaWprbG1ub3A='],
    ['http.extraHeader=Authorization: Bearer eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl', 'eyJhbGciOi'],
    ['curl -H "Bearer abcdefghijklmnopqrstuvwxyz"', 'abcdefghijklmnopqrstuvwxyz'],
    ['https://user:hunter2secret@dev.azure.com/o/p', 'hunter2secret'],
    [`pat ${'a2b3c4d5e6f7g'.repeat(4)} end`, 'a2b3c4d5e6f7g'.repeat(4)],
  ])('masks credential-shaped text in %s', (text, secret) => {
    expect(new Redactor().redact(text)).not.toContain(secret);
  });

  it('leaves ordinary text alone', () => {
    const text = 'clone https://fabrikam@dev.azure.com/fabrikam/Platform/_git/api into /home/u/source/repos/api (branch main)';
    expect(new Redactor().redact(text)).toBe(text);
  });
});
