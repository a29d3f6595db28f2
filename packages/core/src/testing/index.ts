export * from './fixed-width-measurer.ts';
export * from './layout-properties.ts';
