/**
 * The install visit as data (issue 9): steps as a discriminated plan per route, pure transitions
 * `(state, action) → state | rejection`, and the fold that rebuilds a visit from the job's events. Side effects
 * live only in the runner (src-main/flows); the Install screen is a projection of the runner's state.
 */
export * from './install-visit/steps';
export * from './install-visit/state';
export * from './install-visit/transition';
export * from './install-visit/from-events';
