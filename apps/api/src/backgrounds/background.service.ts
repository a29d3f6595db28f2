import type { ObjectStore } from '@memelab/adapters';
import { contentIdOf } from '@memelab/core';
import { type Background, type BackgroundRepository, backgroundObjectKey } from '@memelab/pipeline';
import { INPUT_IMAGE_CONTENT_TYPES, inspectInputImage } from '@memelab/render/image-guard';

/** Uploaded backgrounds: checked by content, stored once per distinct content. */
export class BackgroundService {
  constructor(
    private readonly repository: BackgroundRepository,
    private readonly store: ObjectStore,
  ) {}

  async upload(bytes: Buffer): Promise<Background> {
    const info = inspectInputImage(bytes);
    const id = contentIdOf(bytes);
    const existing = await this.repository.find(id);
    if (existing !== undefined) return existing;
    const background: Background = {
      id,
      objectKey: backgroundObjectKey(id, info.type),
      contentType: INPUT_IMAGE_CONTENT_TYPES[info.type],
      width: info.width,
      height: info.height,
      bytes: bytes.byteLength,
    };
    await this.store.put(background.objectKey, bytes, background.contentType);
    await this.repository.insertIfAbsent(background);
    return background;
  }
}
