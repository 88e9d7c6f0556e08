import type { CodeType } from '@mycard/protocol';

/** The shapes of the console API (apps/platform/src/routes/console), as the console reads them. */
export type ProgramStatus = 'DRAFT' | 'LIVE' | 'SUSPENDED';

export interface ProgramColors {
  background: string;
  foreground: string;
}

export interface DetailLink {
  label: string;
  url: string;
}

export interface TemplateDetail {
  kind: 'template';
  description?: string;
  benefits?: string;
  terms?: string;
  contact?: string;
  links?: DetailLink[];
}

export interface CustomDetail {
  kind: 'custom';
  url: string;
}

export type ProgramDetail = TemplateDetail | CustomDetail;

export interface Program {
  channelId: string;
  name: string;
  codeType: CodeType;
  bindingUrl: string;
  webhookUrl: string | null;
  status: ProgramStatus;
  colors: ProgramColors;
  detail: ProgramDetail;
  /** Public path of the logo, null when none was uploaded. */
  logoUrl?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/** A row of the programs list: the program and its bindings counted by state. */
export interface ProgramSummary {
  program: Program;
  bindings: Partial<Record<'RESERVED' | 'APPLIED' | 'ACTIVE' | 'CANCELLED' | 'EXPIRED' | 'UNBOUND', number>>;
}

export interface Operator {
  id?: string;
  email: string;
  displayName: string;
}

export interface NewProgramInput {
  name: string;
  codeType: CodeType;
  bindingUrl: string;
  webhookUrl?: string | null;
  colors?: ProgramColors;
  detail?: ProgramDetail;
  testers?: string[];
}

export type ProgramPatch = Partial<Omit<NewProgramInput, 'testers'>>;

export interface ProgramDetails {
  program: Program;
  testers: string[];
  secret: { createdAt: string; previousExpiresAt: string | null };
  jwksUrl: string;
  publicKeyPem: string;
}

export interface CreatedProgram {
  program: Program;
  channelSecret: string;
}
