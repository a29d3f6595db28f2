import type { OutputFormat } from '@memelab/core';

/**
 * Object keys are derived from content ids, so a key names exactly one content: writing
 * it twice (a redelivered job) writes the same bytes, and caches may keep it forever.
 * The two-character fan-out keeps directories small in the local store.
 */
export const memeObjectKey = (memeId: string, format: OutputFormat): string =>
  `memes/${memeId.slice(0, 2)}/${memeId}.${format}`;

export const backgroundObjectKey = (backgroundId: string, extension: string): string =>
  `backgrounds/${backgroundId.slice(0, 2)}/${backgroundId}.${extension}`;

export const templateImageObjectKey = (templateId: string, imageId: string, extension: string): string =>
  `templates/${templateId}/${imageId}.${extension}`;
