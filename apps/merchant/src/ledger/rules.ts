import type { EarningRule } from '../config.js';
import { MerchantError } from '../errors.js';

/**
 * Points earned for a purchase amount: whole steps of the rule, rounded down.
 *
 * @example
 * ```ts
 * pointsForAmount(1050, { amountPerStep: 100, pointsPerStep: 1 }); // 10
 * ```
 */
export function pointsForAmount(amount: number, rule: EarningRule): number {
  return Math.floor(amount / rule.amountPerStep) * rule.pointsPerStep;
}

const ORDER_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function checkOrderId(orderId: string): void {
  if (!ORDER_ID.test(orderId)) throw new MerchantError('order_id_invalid');
}

/** A money amount: a positive safe integer not above the till's limit. */
export function checkAmount(amount: number, max: number): void {
  if (!Number.isInteger(amount) || amount <= 0) throw new MerchantError('amount_invalid');
  if (amount > max) throw new MerchantError('amount_too_large');
}

/** A number of points: a positive integer not above the limit. */
export function checkPoints(points: number, max: number): void {
  if (!Number.isInteger(points) || points <= 0) throw new MerchantError('points_invalid');
  if (points > max) throw new MerchantError('points_too_large');
}
