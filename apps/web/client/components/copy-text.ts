/**
 * Copies through the Clipboard API where the page may use it (secure contexts with
 * permission); returns false otherwise so the caller can offer the text to copy by hand.
 */
export const copyText = async (text: string): Promise<boolean> => {
  if (navigator.clipboard === undefined) return false;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
};
