import type { ApiClient } from '@mycard/web-kit';
import type {
  AdminProgram,
  AuditEntry,
  PlatformFigures,
  Program,
  QueuedReview,
  Report,
  Review,
  ReviewScreen,
} from './admin-types.js';

/**
 * The platform administrators' API (`/v1/console/admin/…`, docs/console-api.md "Platform
 * administration"), one function per call. Every call is 4003 for an operator who is not a
 * platform administrator; the console only shows the admin area to those who are.
 */
export function createAdminApi(client: ApiClient) {
  const base = '/v1/console/admin';
  const id = (value: string) => encodeURIComponent(value);
  return {
    listReviews: () => client.request<{ reviews: QueuedReview[] }>('GET', `${base}/reviews`),
    getReview: (reviewId: string) => client.request<ReviewScreen>('GET', `${base}/reviews/${id(reviewId)}`),
    approve: (reviewId: string) =>
      client.request<{ review: Review; program: Program }>(
        'POST',
        `${base}/reviews/${id(reviewId)}/approve`,
        {
          json: {},
        },
      ),
    reject: (reviewId: string, reasons: string[]) =>
      client.request<{ review: Review; program: Program }>('POST', `${base}/reviews/${id(reviewId)}/reject`, {
        json: { reasons },
      }),
    listPrograms: (filter: { status?: string | undefined; query?: string | undefined } = {}) => {
      const q = new URLSearchParams();
      if (filter.status) q.set('status', filter.status);
      if (filter.query) q.set('query', filter.query);
      const qs = q.toString();
      return client.request<{ programs: AdminProgram[] }>('GET', `${base}/programs${qs ? `?${qs}` : ''}`);
    },
    suspend: (channelId: string, reason: string) =>
      client.request<{ program: Program }>('POST', `${base}/programs/${id(channelId)}/suspend`, {
        json: { reason },
      }),
    reinstate: (channelId: string, reason: string) =>
      client.request<{ program: Program }>('POST', `${base}/programs/${id(channelId)}/reinstate`, {
        json: { reason },
      }),
    listReports: (state: 'OPEN' | 'RESOLVED' = 'OPEN') =>
      client.request<{ reports: (Report & { programName: string })[] }>(
        'GET',
        `${base}/reports?state=${state}`,
      ),
    resolveReport: (reportId: string, resolution: 'dismissed' | 'actioned', note?: string) =>
      client.request<{ report: Report }>('POST', `${base}/reports/${id(reportId)}/resolve`, {
        json: note ? { resolution, note } : { resolution },
      }),
    audit: (filter: { targetType?: string; targetId?: string } = {}) => {
      const q = new URLSearchParams(filter as Record<string, string>).toString();
      return client.request<{ entries: AuditEntry[] }>('GET', `${base}/audit${q ? `?${q}` : ''}`);
    },
    figures: (days = 14) => client.request<PlatformFigures>('GET', figuresJsonHref(days)),
  };
}

export type AdminApi = ReturnType<typeof createAdminApi>;

/** The figures as JSON, for the operator's own tools (the figures page links it). */
export function figuresJsonHref(days = 14): string {
  return `/v1/console/admin/figures?days=${days}`;
}
