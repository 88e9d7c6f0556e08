import type { ApiClient } from './client.js';
import type {
  CreatedProgram,
  NewProgramInput,
  Operator,
  Program,
  ProgramDetails,
  ProgramPatch,
  ProgramStatus,
  ProgramSummary,
} from './types.js';

/** The console API (contract in the brief of apps/platform/src/routes/console), one function per call. */
export function createConsoleApi(client: ApiClient) {
  const program = (channelId: string) => `/v1/console/programs/${encodeURIComponent(channelId)}`;
  return {
    signUp: (input: { email: string; password: string; displayName: string }) =>
      client.request<{ operator?: Operator } & Partial<Operator>>('POST', '/v1/console/signup', {
        json: input,
      }),
    signIn: (input: { email: string; password: string }) =>
      client.request<{ operator?: Operator } & Partial<Operator>>('POST', '/v1/console/session', {
        json: input,
      }),
    signOut: () => client.request<void>('DELETE', '/v1/console/session'),
    me: () => client.request<{ operator?: Operator } & Partial<Operator>>('GET', '/v1/console/me'),
    listPrograms: () => client.request<{ programs: ProgramSummary[] }>('GET', '/v1/console/programs'),
    createProgram: (input: NewProgramInput) =>
      client.request<CreatedProgram>('POST', '/v1/console/programs', { json: input }),
    getProgram: (channelId: string) => client.request<ProgramDetails>('GET', program(channelId)),
    updateProgram: (channelId: string, patch: ProgramPatch) =>
      client.request<{ program: Program } | Program>('PATCH', program(channelId), { json: patch }),
    uploadLogo: (channelId: string, image: Blob) =>
      client.request<unknown>('PUT', `${program(channelId)}/logo`, { body: image, contentType: image.type }),
    setStatus: (channelId: string, status: ProgramStatus) =>
      client.request<unknown>('POST', `${program(channelId)}/status`, { json: { status } }),
    setTesters: (channelId: string, userIds: string[]) =>
      client.request<unknown>('PUT', `${program(channelId)}/testers`, { json: { userIds } }),
    revealSecret: (channelId: string) =>
      client.request<{ channelSecret: string }>('POST', `${program(channelId)}/secret/reveal`, { json: {} }),
    rotateSecret: (channelId: string) =>
      client.request<{ channelSecret: string; previousExpiresAt: string }>(
        'POST',
        `${program(channelId)}/secret/rotate`,
        {
          json: {},
        },
      ),
    platformKeyPem: () => client.text('/v1/console/platform-key.pem'),
  };
}

export type ConsoleApi = ReturnType<typeof createConsoleApi>;

/** The operator of a `me`/session answer, whether the API nests it or not. */
export function operatorOf(
  info: ({ operator?: Operator } & Partial<Operator>) | undefined,
): Operator | undefined {
  if (!info) return undefined;
  if (info.operator) return info.operator;
  return typeof info.email === 'string'
    ? { email: info.email, displayName: info.displayName ?? info.email }
    : undefined;
}

/** The rows of a list answer (each `{program, bindings}`; a bare program is accepted too). */
export function programsOf(info: { programs: (ProgramSummary | Program)[] }): ProgramSummary[] {
  return info.programs.map((row) => ('program' in row ? row : { program: row, bindings: {} }));
}

/** How many cards of the program members hold now (ACTIVE bindings). */
export function cardCountOf(summary: ProgramSummary): number {
  return summary.bindings.ACTIVE ?? 0;
}
