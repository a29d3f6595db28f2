export * from './canvas-text-measurer.ts';
export * from './fonts/bundled-fonts.ts';
export * from './fonts/font-registry.ts';
export * from './image/decoded-image-cache.ts';
export * from './image/image-encoder.ts';
export * from './image/image-guard.ts';
export * from './meme-renderer.ts';
export * from './templates/template-catalog.ts';
