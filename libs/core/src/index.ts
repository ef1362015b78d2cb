export * from './time-control';
export * from './category';
export * from './pool';
export * from './format';
export * from './rating-window';
export * from './region';
export * from './matching';
export * from './teams';
