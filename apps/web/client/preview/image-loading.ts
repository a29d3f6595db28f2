const cache = new Map<string, Promise<HTMLImageElement>>();

/** Decodes a template's background once per page; the preview redraws on every keystroke. */
export const loadImage = (url: string): Promise<HTMLImageElement> => {
  let pending = cache.get(url);
  if (pending === undefined) {
    const image = new Image();
    image.decoding = 'async';
    image.src = url;
    pending = image.decode().then(() => image);
    pending.catch(() => cache.delete(url));
    cache.set(url, pending);
  }
  return pending;
};
