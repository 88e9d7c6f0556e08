import { Review, ReviewStatus, type Review as ReviewView } from '@mycard/wire';
import type { PlatformContext } from '../../context.js';
import {
  lastDecisionOf,
  type ProgramReview,
  pendingReviewOf,
  reviewRequired,
} from '../../programs/review/review-repository.js';

/** The review shapes of the console API live in @mycard/wire (admin.ts). */
export const ReviewSchema = Review;
export const ReviewStatusSchema = ReviewStatus;

export function reviewLogoPath(reviewId: string): string {
  return `/v1/console/reviews/${reviewId}/logo`;
}

export function toReviewView(review: ProgramReview): ReviewView {
  return {
    reviewId: review.reviewId,
    channelId: review.channelId,
    kind: review.kind,
    state: review.state,
    changes: review.changes,
    logoUrl: review.logoContentType ? reviewLogoPath(review.reviewId) : null,
    requestedAt: review.requestedAt,
    decidedAt: review.decidedAt,
    reasons: review.reasons,
  };
}

export async function reviewStatusOf(ctx: PlatformContext, channelId: string): Promise<ReviewStatus> {
  const [pending, last] = await Promise.all([
    pendingReviewOf(ctx.db, channelId),
    lastDecisionOf(ctx.db, channelId),
  ]);
  return {
    required: reviewRequired(ctx.config),
    pending: pending ? toReviewView(pending) : null,
    lastDecision: last ? toReviewView(last) : null,
  };
}
