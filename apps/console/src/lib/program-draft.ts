import type { CodeType } from '@mycard/protocol';
import type { NewProgramInput, Program, ProgramDetail, ProgramPatch } from '../api/types.js';
import { isColor } from './colors.js';
import { checkWebUrl } from './web-url.js';

/**
 * The program form's state (strings as typed) and the rules it must meet before it is sent. The
 * limits mirror the console API's schema (apps/platform/src/programs/program-input.ts); nothing is
 * trimmed silently: a stray space is reported, as the API would refuse it.
 */
export const LIMITS = {
  name: 64,
  url: 2048,
  description: 2000,
  benefits: 2000,
  terms: 8000,
  contact: 500,
  links: 10,
  linkLabel: 64,
  testers: 100,
  testerId: 128,
} as const;

export type TemplateField = 'description' | 'benefits' | 'terms' | 'contact';

export interface ProgramDraft {
  name: string;
  codeType: CodeType;
  bindingUrl: string;
  webhookUrl: string;
  background: string;
  foreground: string;
  detailKind: 'template' | 'custom';
  description: string;
  benefits: string;
  terms: string;
  contact: string;
  links: { label: string; url: string }[];
  customUrl: string;
  /** Wallet user ids, separated by new lines, commas or spaces. */
  testers: string;
}

/** A problem of one field: a message key of the i18n catalogue and its parameters. */
export interface FieldError {
  key:
    | 'err.required'
    | 'err.tooLong'
    | 'err.tooMany'
    | 'err.url.characters'
    | 'err.url.syntax'
    | 'err.url.scheme'
    | 'err.url.credentials'
    | 'err.color'
    | 'err.tester'
    | 'err.testerDuplicate';
  params?: Record<string, string | number>;
}

export type DraftErrors = Record<string, FieldError>;

export function emptyDraft(): ProgramDraft {
  return {
    name: '',
    codeType: 'QRCODE',
    bindingUrl: '',
    webhookUrl: '',
    background: '#0f766e',
    foreground: '#ffffff',
    detailKind: 'template',
    description: '',
    benefits: '',
    terms: '',
    contact: '',
    links: [],
    customUrl: '',
    testers: '',
  };
}

export function draftFromProgram(program: Program, testers: readonly string[] = []): ProgramDraft {
  const d = program.detail;
  return {
    name: program.name,
    codeType: program.codeType,
    bindingUrl: program.bindingUrl,
    webhookUrl: program.webhookUrl ?? '',
    background: program.colors.background,
    foreground: program.colors.foreground,
    detailKind: d.kind,
    description: d.kind === 'template' ? (d.description ?? '') : '',
    benefits: d.kind === 'template' ? (d.benefits ?? '') : '',
    terms: d.kind === 'template' ? (d.terms ?? '') : '',
    contact: d.kind === 'template' ? (d.contact ?? '') : '',
    links: d.kind === 'template' ? (d.links ?? []).map((l) => ({ ...l })) : [],
    customUrl: d.kind === 'custom' ? d.url : '',
    testers: testers.join('\n'),
  };
}

/** The tester ids of the textarea: split on white space and commas, empty entries dropped. */
export function parseTesters(text: string): string[] {
  return text.split(/[\s,]+/).filter((id) => id !== '');
}

function urlError(value: string, required: boolean): FieldError | undefined {
  if (value === '') return required ? { key: 'err.required' } : undefined;
  if (value.length > LIMITS.url) return { key: 'err.tooLong', params: { max: LIMITS.url } };
  const problem = checkWebUrl(value);
  return problem ? { key: `err.url.${problem}` } : undefined;
}

function lengthError(value: string, max: number): FieldError | undefined {
  return value.length > max ? { key: 'err.tooLong', params: { max } } : undefined;
}

/**
 * Every problem of the draft, keyed by field (`name`, `bindingUrl`, `links.0.url`, …); empty when
 * the API would accept it.
 */
export function validateDraft(draft: ProgramDraft): DraftErrors {
  const errors: DraftErrors = {};
  const put = (field: string, error: FieldError | undefined) => {
    if (error) errors[field] = error;
  };
  put('name', draft.name === '' ? { key: 'err.required' } : lengthError(draft.name, LIMITS.name));
  put('bindingUrl', urlError(draft.bindingUrl, true));
  put('webhookUrl', urlError(draft.webhookUrl, false));
  put('background', isColor(draft.background) ? undefined : { key: 'err.color' });
  put('foreground', isColor(draft.foreground) ? undefined : { key: 'err.color' });
  if (draft.detailKind === 'custom') {
    put('customUrl', urlError(draft.customUrl, true));
  } else {
    for (const field of ['description', 'benefits', 'terms', 'contact'] as const) {
      put(field, lengthError(draft[field], LIMITS[field]));
    }
    put(
      'links',
      draft.links.length > LIMITS.links ? { key: 'err.tooMany', params: { max: LIMITS.links } } : undefined,
    );
    draft.links.forEach((link, i) => {
      put(
        `links.${i}.label`,
        link.label === '' ? { key: 'err.required' } : lengthError(link.label, LIMITS.linkLabel),
      );
      put(`links.${i}.url`, urlError(link.url, true));
    });
  }
  const testers = parseTesters(draft.testers);
  if (testers.length > LIMITS.testers)
    put('testers', { key: 'err.tooMany', params: { max: LIMITS.testers } });
  const bad = testers.find((id) => !/^[\x21-\x7e]{1,128}$/.test(id));
  if (bad !== undefined) put('testers', { key: 'err.tester', params: { id: bad } });
  else if (new Set(testers).size !== testers.length) put('testers', { key: 'err.testerDuplicate' });
  return errors;
}

export function detailOf(draft: ProgramDraft): ProgramDetail {
  if (draft.detailKind === 'custom') return { kind: 'custom', url: draft.customUrl };
  return {
    kind: 'template',
    description: draft.description,
    benefits: draft.benefits,
    terms: draft.terms,
    contact: draft.contact,
    links: draft.links.map(({ label, url }) => ({ label, url })),
  };
}

/** The body of `POST /v1/console/programs`. */
export function toNewProgramInput(draft: ProgramDraft): NewProgramInput {
  const input: NewProgramInput = {
    name: draft.name,
    codeType: draft.codeType,
    bindingUrl: draft.bindingUrl,
    colors: { background: draft.background, foreground: draft.foreground },
    detail: detailOf(draft),
  };
  if (draft.webhookUrl !== '') input.webhookUrl = draft.webhookUrl;
  const testers = parseTesters(draft.testers);
  if (testers.length > 0) input.testers = testers;
  return input;
}

/** The body of `PATCH /v1/console/programs/{channelId}` (every editable field; testers go apart). */
export function toProgramPatch(draft: ProgramDraft): ProgramPatch {
  return {
    name: draft.name,
    codeType: draft.codeType,
    bindingUrl: draft.bindingUrl,
    webhookUrl: draft.webhookUrl === '' ? null : draft.webhookUrl,
    colors: { background: draft.background, foreground: draft.foreground },
    detail: detailOf(draft),
  };
}
