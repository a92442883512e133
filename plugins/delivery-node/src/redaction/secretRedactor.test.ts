import { createSecretRedactor } from './secretRedactor';

const TOKEN = 'tok-3f9a/b+c&d<e>';

describe('createSecretRedactor', () => {
  it('redacts every form an upstream may echo', () => {
    const redactor = createSecretRedactor();
    redactor.register(TOKEN);
    const forms = [
      TOKEN,
      `Bearer ${TOKEN}`,
      `token ${TOKEN}`,
      encodeURIComponent(TOKEN),
      JSON.stringify({ authorization: `Bearer ${TOKEN}` }),
      'tok-3f9a\\/b+c\\u0026d\\u003ce\\u003e',
      Buffer.from(TOKEN).toString('base64'),
    ];
    for (const form of forms) {
      const redacted = redactor.redact(`echo: ${form}.`);
      expect(redacted).toContain('***');
      expect(redacted).not.toContain('3f9a');
    }
  });

  it('redacts the credential of a header value and of basic auth', () => {
    const redactor = createSecretRedactor();
    redactor.register('Bearer header-secret-1');
    redactor.register(
      `Basic ${Buffer.from('prom:prom-pass-2').toString('base64')}`,
    );
    redactor.registerBasicAuth('admin', 'argo-pass-3');
    const text = redactor.redact(
      [
        'header-secret-1',
        'prom-pass-2',
        'prom:prom-pass-2',
        Buffer.from('admin:argo-pass-3').toString('base64'),
        'argo-pass-3',
      ].join(' '),
    );
    expect(text).toBe('*** *** *** *** ***');
  });

  it('ignores short values with one warning, and empty ones silently', () => {
    const onTooShort = jest.fn();
    const redactor = createSecretRedactor({ onTooShort });
    redactor.register('abc', { what: 'delivery.x.token' });
    redactor.register('abc', { what: 'delivery.x.token' });
    redactor.register('');
    redactor.register(undefined);
    expect(onTooShort).toHaveBeenCalledTimes(1);
    expect(onTooShort).toHaveBeenCalledWith('delivery.x.token');
    expect(redactor.redact('abcdef abc')).toBe('abcdef abc');
  });

  it('redacts an error in place: message, stack, cause and fields', () => {
    const redactor = createSecretRedactor();
    redactor.register('session-token-4', { obtained: true });
    const cause = new Error('inner session-token-4');
    const error = new Error('outer session-token-4', { cause });
    (error as any).body = { detail: ['session-token-4'] };
    const same = redactor.redactError(error);
    expect(same).toBe(error);
    expect(error.message).toBe('outer ***');
    expect(error.stack).not.toContain('session-token-4');
    expect(cause.message).toBe('inner ***');
    expect((error as any).body).toEqual({ detail: ['***'] });
    expect(redactor.redactError('x session-token-4')).toBe('x ***');
  });

  it('keeps only the newest obtained values', () => {
    const redactor = createSecretRedactor({ maxObtained: 2 });
    redactor.register('configured-1');
    for (const t of ['obtained-1', 'obtained-2', 'obtained-3']) {
      redactor.register(t, { obtained: true });
    }
    expect(
      redactor.redact('configured-1 obtained-1 obtained-2 obtained-3'),
    ).toBe('*** obtained-1 *** ***');
  });
});
