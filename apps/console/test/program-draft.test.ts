import { describe, expect, it } from 'vitest';
import { validateNewProgram } from '../../platform/src/programs/program-input.js';
import {
  draftFromProgram,
  emptyDraft,
  type ProgramDraft,
  parseTesters,
  toNewProgramInput,
  toProgramPatch,
  validateDraft,
} from '../src/lib/program-draft.js';

const valid = (): ProgramDraft => ({
  ...emptyDraft(),
  name: 'Demo Mart',
  codeType: 'EAN13',
  bindingUrl: 'https://shop.example/mycard/bind',
  description: 'Points on every purchase.',
  links: [{ label: 'Terms', url: 'https://shop.example/terms' }],
  testers: 'dev:alice\ndev:bob',
});

/** Drafts the form must judge exactly as the console API does. */
const cases: [string, (d: ProgramDraft) => void, string | undefined][] = [
  ['a complete program', () => {}, undefined],
  ['an empty name', (d) => (d.name = ''), 'name'],
  ['a 64-character name', (d) => (d.name = 'x'.repeat(64)), undefined],
  ['a 65-character name', (d) => (d.name = 'x'.repeat(65)), 'name'],
  ['an http binding URL', (d) => (d.bindingUrl = 'http://shop.example/bind'), 'bindingUrl'],
  ['an http localhost binding URL', (d) => (d.bindingUrl = 'http://localhost:4000/bind'), undefined],
  ['an http 127.0.0.1 binding URL', (d) => (d.bindingUrl = 'http://127.0.0.1:4000/bind'), undefined],
  ['a javascript: binding URL', (d) => (d.bindingUrl = 'javascript:alert(1)'), 'bindingUrl'],
  ['a binding URL with a space', (d) => (d.bindingUrl = 'https://shop.example/a b'), 'bindingUrl'],
  ['a binding URL with a leading space', (d) => (d.bindingUrl = ' https://shop.example/'), 'bindingUrl'],
  ['a binding URL with credentials', (d) => (d.bindingUrl = 'https://u:p@shop.example/'), 'bindingUrl'],
  ['a relative binding URL', (d) => (d.bindingUrl = '/bind'), 'bindingUrl'],
  [
    'a 2049-character binding URL',
    (d) => (d.bindingUrl = `https://shop.example/${'a'.repeat(2029)}`),
    'bindingUrl',
  ],
  ['no webhook', (d) => (d.webhookUrl = ''), undefined],
  ['an ftp webhook', (d) => (d.webhookUrl = 'ftp://shop.example/hook'), 'webhookUrl'],
  ['a three-digit colour', (d) => (d.background = '#fff'), 'background'],
  ['a named colour', (d) => (d.foreground = 'white'), 'foreground'],
  ['a 2001-character description', (d) => (d.description = 'x'.repeat(2001)), 'description'],
  ['an 8000-character terms text', (d) => (d.terms = 'x'.repeat(8000)), undefined],
  ['a 501-character contact', (d) => (d.contact = 'x'.repeat(501)), 'contact'],
  ['a javascript: link', (d) => (d.links = [{ label: 'x', url: 'javascript:alert(1)' }]), 'links.0.url'],
  ['a link without label', (d) => (d.links = [{ label: '', url: 'https://a.example/' }]), 'links.0.label'],
  [
    'eleven links',
    (d) => (d.links = Array.from({ length: 11 }, (_, i) => ({ label: `l${i}`, url: 'https://a.example/' }))),
    'links',
  ],
  [
    'a custom page',
    (d) => Object.assign(d, { detailKind: 'custom', customUrl: 'https://shop.example/m' }),
    undefined,
  ],
  [
    'a custom page over data:',
    (d) => Object.assign(d, { detailKind: 'custom', customUrl: 'data:text/html,x' }),
    'customUrl',
  ],
  ['a tester id with a space inside quotes', (d) => (d.testers = 'dev:alice\n"dev:\u00e9"'), 'testers'],
  ['a duplicate tester', (d) => (d.testers = 'dev:alice dev:alice'), 'testers'],
  [
    'HTML in the texts',
    (d) => (d.description = '<script>alert(1)</script><img src=x onerror=alert(1)>'),
    undefined,
  ],
];

describe('validateDraft mirrors the console API (validateNewProgram)', () => {
  it.each(cases)('%s', (_name, change, field) => {
    const draft = valid();
    change(draft);
    const errors = validateDraft(draft);
    expect(Object.keys(errors)).toEqual(field ? [field] : []);
    const apiProblems = validateNewProgram(toNewProgramInput(draft));
    expect(apiProblems.length > 0).toBe(field !== undefined);
  });
});

describe('draft conversions', () => {
  it('sends only the fields the API knows, webhook and testers when given', () => {
    const input = toNewProgramInput(valid());
    expect(Object.keys(input).sort()).toEqual([
      'bindingUrl',
      'codeType',
      'colors',
      'detail',
      'name',
      'testers',
    ]);
    expect(input.testers).toEqual(['dev:alice', 'dev:bob']);
    expect(input.detail).toEqual({
      kind: 'template',
      description: 'Points on every purchase.',
      benefits: '',
      terms: '',
      contact: '',
      links: [{ label: 'Terms', url: 'https://shop.example/terms' }],
    });
  });

  it('a patch clears the webhook with null and never carries testers', () => {
    const patch = toProgramPatch(valid());
    expect(patch.webhookUrl).toBeNull();
    expect('testers' in patch).toBe(false);
  });

  it('round-trips a stored program', () => {
    const draft = draftFromProgram(
      {
        channelId: '1234567890',
        name: 'Demo Mart',
        codeType: 'EAN8',
        bindingUrl: 'https://shop.example/bind',
        webhookUrl: null,
        organizationId: 'org_AAAAAAAAAAAAAAAA',
        status: 'DRAFT',
        colors: { background: '#112233', foreground: '#ffffff' },
        detail: { kind: 'custom', url: 'https://shop.example/m' },
        logoUrl: null,
        createdAt: '2026-11-27T10:00:00.000Z',
        updatedAt: '2026-11-27T10:00:00.000Z',
      },
      ['dev:alice'],
    );
    expect(draft).toMatchObject({
      detailKind: 'custom',
      customUrl: 'https://shop.example/m',
      webhookUrl: '',
      testers: 'dev:alice',
    });
    expect(validateDraft(draft)).toEqual({});
  });

  it('splits testers on new lines, commas and spaces', () => {
    expect(parseTesters(' dev:alice,dev:bob\n\nline:U1  ')).toEqual(['dev:alice', 'dev:bob', 'line:U1']);
  });
});
