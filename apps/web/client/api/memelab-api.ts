import { problemFromResponse } from './problem.ts';
import type {
  MemePage,
  MemeRequest,
  MemeResource,
  TemplateConfig,
  TemplatePage,
  TemplateResource,
  UploadedBackground,
} from './resources.ts';

type JsonRequest = Omit<RequestInit, 'headers'> & { readonly headers?: Record<string, string> };

/** Every API call: the JSON body, or the API's problem details thrown as an ApiProblem. */
const requestJson = async <T>(url: string, init: JsonRequest = {}): Promise<T> => {
  const response = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } });
  if (!response.ok) throw await problemFromResponse(response);
  return (await response.json()) as T;
};

const getJson = <T>(url: string, signal?: AbortSignal): Promise<T> => requestJson<T>(url, signal ? { signal } : {});

/** Templates per gallery page; the gallery asks for the next page as it is scrolled to its end. */
export const TEMPLATE_PAGE_SIZE = 12;

/** One page of every template, or of the best matches for `query` when it is not blank. */
export const fetchTemplates = (query: string, offset = 0, signal?: AbortSignal): Promise<TemplatePage> => {
  const params = new URLSearchParams({ limit: String(TEMPLATE_PAGE_SIZE), offset: String(offset) });
  const trimmed = query.trim();
  if (trimmed !== '') params.set('q', trimmed);
  return getJson<TemplatePage>(`/api/templates?${params.toString()}`, signal);
};

export const fetchRecentMemes = (limit: number): Promise<MemePage> =>
  getJson<MemePage>(`/api/memes?limit=${String(limit)}`);

/** Creates (or finds) a meme: 202 while it renders, 200 when this exact meme exists already. */
export const createMeme = (request: MemeRequest): Promise<MemeResource> =>
  requestJson<MemeResource>('/api/memes', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });

const postForm = <T>(url: string, form: FormData, headers: Record<string, string> = {}): Promise<T> =>
  requestJson<T>(url, { method: 'POST', headers, body: form });

/** Stores a picture of the user's own to put captions on. */
export const uploadBackground = (image: File): Promise<UploadedBackground> => {
  const form = new FormData();
  form.append('image', image);
  return postForm<UploadedBackground>('/api/backgrounds', form);
};

/** Adds a template to the gallery; only with the server's admin key. */
export const createTemplate = (config: TemplateConfig, image: File, adminKey: string): Promise<TemplateResource> => {
  const form = new FormData();
  form.append('config', JSON.stringify(config));
  form.append('image', image);
  const key = adminKey.trim();
  return postForm<TemplateResource>('/api/templates', form, key === '' ? {} : { 'x-api-key': key });
};

/** The page's address for a path the API returned, for sharing outside the page. */
export const absoluteUrl = (path: string): string => new URL(path, window.location.href).href;
