import type { TourStep } from './run';

/** The tour, in order. Each step is what a person would do first on a new install. */
export const steps: TourStep[] = [];
