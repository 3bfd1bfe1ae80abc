import type { PlanResponse } from '../../../api/plan.ts';

/**
 * The last plans a user made in this browser, newest first, kept in localStorage per user: a plan
 * comes back on returning to the planner, and stays bookable until its `planExpiresAt`.
 */

export type Plan = PlanResponse & { planId: string | null; planExpiresAt: string | null };

/** What the form asked, as the form holds it. */
export interface PlanForm {
  from: string;
  to: string;
  date: string;
  arriveBy: string;
  groups: { count: number; type: string; grossKg: string }[];
  hazardous: boolean;
  compare: boolean;
}

export interface RecentPlan {
  form: PlanForm;
  plan: Plan;
  /** When the plan was made, ISO 8601. */
  madeAt: string;
}

const MOST = 5;
const key = (userId: string) => `corridor.recentPlans.${userId}`;

export function recentPlans(userId: string): RecentPlan[] {
  try {
    const raw = localStorage.getItem(key(userId));
    const list = raw ? (JSON.parse(raw) as RecentPlan[]) : [];
    return Array.isArray(list) ? list.filter((r) => r?.plan && r.form) : [];
  } catch {
    return [];
  }
}

/** Keeps the plan first; the same journey asked again replaces its older plan. */
export function keepRecentPlan(userId: string, recent: RecentPlan): RecentPlan[] {
  const same = (r: RecentPlan) => JSON.stringify(r.form) === JSON.stringify(recent.form);
  const list = [recent, ...recentPlans(userId).filter((r) => !same(r))].slice(0, MOST);
  try {
    localStorage.setItem(key(userId), JSON.stringify(list));
  } catch {
    // A full storage keeps the plans of this page only.
  }
  return list;
}

/** Whether the plan can still be booked at `nowMs`. */
export function bookable(plan: Plan, nowMs: number): boolean {
  return (
    plan.planId !== null && plan.planExpiresAt !== null && Date.parse(plan.planExpiresAt) > nowMs
  );
}
