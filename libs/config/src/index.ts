export * from './app-config';
export * from './environment';
